"""The Django admin for every register type: derived from the registry, a stop-gap UI."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core import deletion, integrity
from mue.core.forms import TagsField
from mue.core.models import ChangeLogEntry, Workspace
from mue.core.registry import build

admin.site.site_header = _("Mue administration")


def _site_administrators_only(request) -> bool:
    """The admin is the instance's, for site administrators (superusers); the product is the web app."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _site_administrators_only
admin.site.site_title = _("Mue")


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "kind", "country", "language")
    search_fields = ("slug", "name")

    # Deleting a workspace takes its objects and history in a few set-based DELETEs
    # (mue.core.deletion); the confirmation lists counts per type instead of every object, and needs no
    # permission on change-log entries (they go with their workspace, never one by one).
    def get_deleted_objects(self, objs, request):
        lines = []
        for ws in objs:
            report = deletion.contents(ws)
            lines.append(str(ws))
            lines.append([f"{label}: {count}" for label, count in report.by_label()])
        return lines, {}, set(), []

    def delete_model(self, request, obj):
        obj.delete()

    def delete_queryset(self, request, queryset):
        queryset.delete()


@admin.register(ChangeLogEntry)
class ChangeLogEntryAdmin(admin.ModelAdmin):
    list_display = ("time", "workspace", "actor_name", "source", "action", "object_type", "object_slug")
    list_filter = ("action", "source", "object_type", "workspace")
    search_fields = ("object_slug", "actor_name")
    list_select_related = ("workspace",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _InWorkspace:
    """An admin autocomplete that asks only for the objects of one workspace (``?workspace=<id>``)."""

    def __init__(self, *args, workspace_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workspace_id = workspace_id

    def get_url(self) -> str:
        return f"{super().get_url()}?workspace={self.workspace_id}"


class WorkspaceAutocompleteSelect(_InWorkspace, AutocompleteSelect):
    pass


class WorkspaceAutocompleteSelectMultiple(_InWorkspace, AutocompleteSelectMultiple):
    pass


class RegisterObjectForm(forms.ModelForm):
    """Refuses references to another workspace's objects as a form error (the model layer would refuse
    the save anyway, :mod:`mue.core.integrity`, but as an error page)."""

    def clean(self):
        data = super().clean()
        workspace = data.get("workspace") or getattr(self.instance, "workspace", None)
        if workspace is not None:
            values = {name: value for name, value in data.items() if name != "workspace"}
            for name, message in integrity.check_values(self._meta.model, workspace.pk, values).items():
                self.add_error(name, message)
        return data


class RegisterObjectAdmin(admin.ModelAdmin):
    """What every register type's admin shares: references offered and accepted inside the object's
    workspace only."""

    form = RegisterObjectForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return TagsField(label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        request._mue_workspace_id = obj.workspace_id if obj is not None else None
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # An object stays in its workspace: moving it would take its links across.
        fields = tuple(super().get_readonly_fields(request, obj))
        return (*fields, "workspace") if obj is not None else fields

    def _scope(self, db_field, request, kwargs, widget) -> None:
        ws_id = getattr(request, "_mue_workspace_id", None)
        if ws_id is None or integrity.workspace_path(db_field.related_model) != "workspace":
            return
        kwargs.setdefault("queryset", db_field.related_model._default_manager.filter(workspace_id=ws_id))
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault("widget", widget(db_field, self.admin_site, using=kwargs.get("using"),
                                               workspace_id=ws_id))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name != "workspace":
            self._scope(db_field, request, kwargs, WorkspaceAutocompleteSelect)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope(db_field, request, kwargs, WorkspaceAutocompleteSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, distinct = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        workspace = request.GET.get("workspace", "")
        if match is not None and match.url_name == "autocomplete" and workspace.isdigit():
            queryset = queryset.filter(workspace_id=int(workspace))
        return queryset, distinct


def admin_for(model: type[models.Model]) -> type[admin.ModelAdmin]:
    """A ModelAdmin built from the model's fields: lists show the first few, filters the choices."""
    own = [f for f in model._meta.concrete_fields if f.name not in ("id", "workspace", "slug", "name",
                                                                       "description", "tags", "created", "updated")]
    shown = [f.name for f in own[:4] if not isinstance(f, models.TextField | models.JSONField)]
    relations = [f.name for f in own if f.is_relation]
    attrs = {
        "list_display": ("slug", "name", *shown, "workspace"),
        "list_filter": ("workspace", *[f.name for f in own if f.choices or isinstance(f, models.BooleanField)][:6]),
        "search_fields": ("slug", "name"),
        "list_select_related": ("workspace", *[f.name for f in own[:4] if f.is_relation]),
        "autocomplete_fields": (*relations, *[f.name for f in model._meta.many_to_many]),
        "readonly_fields": ("created", "updated"),
        # A URL typed without a scheme means https (Django 6's default, chosen now).
        "formfield_overrides": {models.URLField: {"assume_scheme": "https"}},
        "list_per_page": 50,
        "show_full_result_count": False,
    }
    return type(f"{model.__name__}Admin", (RegisterObjectAdmin,), attrs)


for otype in build():
    admin.site.register(otype.model, admin_for(otype.model))
