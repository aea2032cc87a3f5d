from django.db.models import Case, Q, Value, When
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.documents.choices import licence_kinds_with


def _breaches() -> list[tuple[Q, str]]:
    """Each use a licence family forbids, with the name of the condition broken (the evidence)."""
    return [
        (Q(licence_kind__in=licence_kinds_with("non_commercial"), commercial_use=True), "non-commercial"),
        (Q(licence_kind__in=licence_kinds_with("no_derivatives"), modified=True), "no-derivatives"),
        (Q(licence_kind__in=licence_kinds_with("attribution"), attribution_given=False), "attribution"),
    ]


@register
class ContentLicenceForbidsUse(Rule):
    id = "TOU-008"
    domain = "terms"
    severity = "medium"
    object_type = "content_licence"
    title = _("Third-party content used in a way its licence forbids")
    rationale = _("A free licence is free under conditions: a non-commercial (NC) licence forbids commercial use, "
                  "a no-derivatives (ND) one forbids modified versions, and most require crediting the author. "
                  "Breaking them voids the licence: the content is then used without any right.")
    remediation = _("Stop the forbidden use (credit the author, use the original, withdraw it from the commercial "
                    "use) or obtain a licence that allows it from the rights holder.")
    evidence = {"licence_kind": "licence_kind", "licence": "licence", "condition": "broken_condition",
                "commercial_use": "commercial_use", "modified": "modified", "attribution_given": "attribution_given"}

    def scope(self, ctx):
        return ctx.objects("content_licence").exclude(licence_kind="")

    def failing(self, ctx, scope):
        breaches = _breaches()
        forbidden = Q()
        for condition, _name in breaches:
            forbidden |= condition
        broken = Case(*(When(condition, then=Value(name)) for condition, name in breaches), default=Value(""))
        return scope.filter(forbidden).annotate(broken_condition=broken)
