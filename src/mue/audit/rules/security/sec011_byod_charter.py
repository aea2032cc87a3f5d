from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule


@register
class PersonalDeviceWithoutCharter(Rule):
    id = "SEC-011"
    domain = "security"
    severity = "low"
    object_type = "asset"
    title = _("Personal device (BYOD) used without a signed usage charter")
    rationale = _("Using a personal device for work needs the user's agreement on what the organization may do "
                  "on it (enrolment, remote wipe of work data) and on what they must do (lock, updates, loss "
                  "report); without a signed charter none of it can be asked.")
    remediation = _("Have each user of a personal device sign the usage charter and record the date.")
    evidence = {"owner": "owner__slug", "mdm_enrolled": "mdm_enrolled"}

    def scope(self, ctx):
        return ctx.objects("asset").filter(personal_device=True)

    def failing(self, ctx, scope):
        return scope.filter(charter_signed__isnull=True)
