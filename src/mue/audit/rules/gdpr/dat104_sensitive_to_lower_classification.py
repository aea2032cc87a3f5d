from django.db.models import Case, IntegerField, Max, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import SENSITIVE, FlowData, ServiceApps, data_q, first_data, flow_carries

#: The level of a data category on the 1-4 scale of the services' confidentiality need; sensitive personal
#: data (art. 9/10) count as confidential whatever their label.
_LEVEL = Case(
    When(datacategory__classification="secret", then=Value(4)),
    When(Q(datacategory__classification="confidential") | Q(datacategory__personal_data__in=SENSITIVE),
         then=Value(3)),
    When(datacategory__classification="internal", then=Value(2)),
    default=Value(1), output_field=IntegerField())


def _data_level():
    return Subquery(FlowData.objects.filter(dataflow_id=OuterRef("pk")).values("dataflow_id")
                    .annotate(level=Max(_LEVEL)).values("level")[:1])


def _application_level():
    """An application's classification: the highest confidentiality need of the services it serves."""
    return Subquery(ServiceApps.objects.filter(application_id=OuterRef("target_application_id"),
                                               service__need_confidentiality__isnull=False)
                    .values("application_id").annotate(level=Max("service__need_confidentiality"))
                    .values("level")[:1])


@register
class SensitiveDataToLowerClassification(Rule):
    id = "DAT-104"
    domain = "data-protection"
    severity = "high"
    object_type = "flow"
    title = _("Sensitive data flowing to an application of a lower classification")
    rationale = _("An application is protected for the confidentiality its services need; confidential or "
                  "sensitive data (GDPR art. 9/10) sent to an application classified lower are protected below "
                  "what they require (GDPR art. 32).")
    remediation = _("Raise the confidentiality need of the receiving application's services (and its measures: "
                    "access control, MFA, encryption), or stop sending these data to it.")
    evidence = {"to": "target_application__slug", "data": "a_data", "data_level": "data_level",
                "application_level": "application_level"}

    def scope(self, ctx):
        # Judged where the receiving application's classification is known (a service states its need).
        return (ctx.objects("flow").filter(flow_carries(ctx, data_q(confidential=True)),
                                           target_application__isnull=False)
                .annotate(application_level=_application_level()).filter(application_level__isnull=False))

    def failing(self, ctx, scope):
        return scope.annotate(data_level=_data_level()).filter(data_level__gt=_application_level()).annotate(
            a_data=first_data(data_q(confidential=True), FlowData, "dataflow_id"))
