from django.db.models import Exists, F, Max, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import LIVE_LIFECYCLES, SANCTIONED_STATUSES, ServiceApps, apps_in_use


def _served(ref: str = "pk"):
    return ServiceApps.objects.filter(application_id=OuterRef(ref), service__lifecycle__in=LIVE_LIFECYCLES,
                                      service__users_count__isnull=False)


@register
class SeatsAboveServiceUsers(Rule):
    id = "CST-007"
    domain = "costs"
    severity = "medium"
    object_type = "application"
    title = _("Licences paid above 120% of the users of its services")
    rationale = _("Without usage logs, the users stated for the services an application supports are the best "
                  "measure of need; seats far above them are licences paid for nobody.")
    remediation = _("Compare the seats with the real users at the next renewal and reduce them, or correct the "
                    "services' user counts.")
    evidence = {"seats": "seats", "service_users": "users"}

    def scope(self, ctx):
        return apps_in_use(ctx, SANCTIONED_STATUSES).filter(seats__gt=0).filter(Exists(_served()))

    def failing(self, ctx, scope):
        # Services share their users (the same agents use e-mail and office tools): take the
        # largest user count among the application's services, not the sum.
        users = _served().values("application_id").annotate(m=Max("service__users_count")).values("m")
        return (scope.annotate(users=Subquery(users))
                .alias(five_seats=F("seats") * 5, six_users=F("users") * 6)
                .filter(five_seats__gt=F("six_users")))
