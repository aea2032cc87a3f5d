from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import SANCTIONED_STATUSES, apps_in_use
from mue.documents.models import TermsOfUse


@register
class SaasWithoutTerms(Rule):
    id = "TOU-003"
    domain = "terms"
    severity = "low"
    object_type = "application"
    title = _("SaaS in use without its terms of use on record")
    rationale = _("The terms of use of a SaaS are its contract with every user; the organization should know "
                  "what it accepted (data use, liability, exit).")
    remediation = _("Record the terms of use (link and version) the organization accepted.")
    evidence = {"vendor": "vendor__slug"}

    def scope(self, ctx):
        return apps_in_use(ctx, SANCTIONED_STATUSES).filter(kind="saas")

    def failing(self, ctx, scope):
        return scope.exclude(Exists(TermsOfUse.objects.filter(application_id=OuterRef("pk"), kind="terms")))
