from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import SANCTIONED_STATUSES, AppDeps, ServiceApps, apps_in_use
from mue.dataflows.models import DataFlow


@register
class OrphanApplication(Rule):
    id = "USE-006"
    domain = "usage"
    severity = "low"
    object_type = "application"
    title = _("Application serving no service, no flow and no other application")
    rationale = _("An application linked to nothing is either undocumented (the map is incomplete) or useless "
                  "(a candidate for retirement).")
    remediation = _("Link the application to the services it supports, or retire it.")
    evidence = {"category": "category", "owner": "owner__slug"}
    local = False  # another application starting to depend on this one changes its verdict

    def scope(self, ctx):
        return apps_in_use(ctx, SANCTIONED_STATUSES)

    def failing(self, ctx, scope):
        pk = OuterRef("pk")
        return (scope.exclude(Exists(ServiceApps.objects.filter(application_id=pk)))
                .exclude(Exists(AppDeps.objects.filter(to_application_id=pk)))
                .exclude(Exists(DataFlow.objects.filter(source_application_id=pk)))
                .exclude(Exists(DataFlow.objects.filter(target_application_id=pk))))
