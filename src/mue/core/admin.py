"""The Django admin for every register type: derived from the registry, a stop-gap UI."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.forms import TagsField
from mue.core.models import ChangeLogEntry, Workspace
from mue.core.registry import build

admin.site.site_header = _("Mue administration")
admin.site.site_title = _("Mue")


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("slug", "name", "kind", "country", "language")
    search_fields = ("slug", "name")


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


class RegisterObjectAdmin(admin.ModelAdmin):
    """What every register type's admin shares."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            return TagsField(label=db_field.verbose_name)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


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
