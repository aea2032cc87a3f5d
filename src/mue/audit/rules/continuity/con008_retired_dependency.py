from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import AppDeps, apps_in_use, in_critical_service

GONE = ("retired", "banned")


@register
class CriticalAppDependsOnRetired(Rule):
    id = "CON-008"
    domain = "continuity"
    severity = "medium"
    object_type = "application"
    title = _("Application of a critical service depending on a retired or banned application")
    rationale = _("A dependency on an application that is retired or banned will break without notice, and "
                  "takes the critical service with it.")
    remediation = _("Replace the dependency or bring the dependency back under management (status, owner).")
    evidence = {"dependency": "dependency"}
    local = False  # a change of status of the dependency changes the verdict on its dependents
    related = {"application": ("depends_on",)}  # the dependents of a changed application

    def scope(self, ctx):
        has_deps = Exists(AppDeps.objects.filter(from_application_id=OuterRef("pk")))
        return apps_in_use(ctx).filter(in_critical_service()).filter(has_deps)

    def failing(self, ctx, scope):
        gone = AppDeps.objects.filter(from_application_id=OuterRef("pk"), to_application__status__in=GONE)
        return scope.filter(Exists(gone)).annotate(
            dependency=Subquery(gone.order_by("to_application__slug").values("to_application__slug")[:1]))
