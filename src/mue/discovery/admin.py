"""Admin pages for discovery (a stop-gap until the web app): runs, discovered services, settings, catalogue."""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from mue.core.changelog import change_context
from mue.discovery.models import (
    ApplicationMapping,
    CatalogueEntry,
    DiscoveredService,
    DiscoveryRun,
    DiscoverySettings,
    RiskOverride,
)


@admin.register(DiscoveryRun)
class DiscoveryRunAdmin(admin.ModelAdmin):
    list_display = ("started", "workspace", "lines", "malformed", "bytes_read")
    list_filter = ("workspace",)
    list_select_related = ("workspace",)
    readonly_fields = ("workspace", "started", "finished", "files", "bytes_read", "lines", "malformed", "report")

    def has_add_permission(self, request):
        return False


@admin.action(description=_("Add to the register as shadow application"))
def add_to_register(modeladmin, request, queryset):
    from mue.discovery.catalogue import for_workspace
    from mue.discovery.shadow import NotInCatalogue, add_shadow_application

    user = request.user
    catalogues: dict[int, object] = {}
    with change_context(actor_name=user.get_username(), source="admin", actor_id=user.pk):
        for item in queryset.select_related("run__workspace"):
            workspace = item.run.workspace
            catalogue = catalogues.setdefault(workspace.id, for_workspace(workspace.id))
            try:
                app, created = add_shadow_application(workspace, item.service_id, catalogue)
            except NotInCatalogue:
                messages.error(request, gettext("%(id)s is no longer in the catalogue.") % {"id": item.service_id})
                continue
            text = gettext("%(id)s added as %(slug)s.") if created else gettext("%(id)s is already %(slug)s.")
            messages.success(request, text % {"id": item.service_id, "slug": app.slug})


@admin.register(DiscoveredService)
class DiscoveredServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "users", "requests", "bytes", "first_seen", "last_seen", "risk_score",
                    "application", "run")
    list_filter = ("run__workspace", "category", ("application", admin.EmptyFieldListFilter))
    list_select_related = ("run", "run__workspace", "application")
    search_fields = ("service_id", "name")
    actions = [add_to_register]
    readonly_fields = [f.name for f in DiscoveredService._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(DiscoverySettings)
class DiscoverySettingsAdmin(admin.ModelAdmin):
    list_display = ("workspace", "allow_names")
    list_select_related = ("workspace",)
    exclude = ("key",)  # the key never shows: it would let anyone re-identify pseudonyms by guessing


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(admin.ModelAdmin):
    list_display = ("service_id", "name", "vendor", "category", "workspace")
    list_filter = ("workspace", "category")
    list_select_related = ("workspace",)
    search_fields = ("service_id", "name", "vendor")


@admin.register(RiskOverride)
class RiskOverrideAdmin(admin.ModelAdmin):
    list_display = ("service_id", "score", "workspace")
    list_select_related = ("workspace",)


@admin.register(ApplicationMapping)
class ApplicationMappingAdmin(admin.ModelAdmin):
    list_display = ("service_id", "application", "workspace")
    list_select_related = ("workspace", "application")
    autocomplete_fields = ("application",)
