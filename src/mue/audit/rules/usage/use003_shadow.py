from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import apps_in_use


@register
class ShadowApplication(Rule):
    id = "USE-003"
    domain = "usage"
    severity = "low"
    object_type = "application"
    title = _("Shadow IT application to regularize")
    rationale = _("Tools adopted without IT often answer a real need; left in the shadow they have no owner, no "
                  "contract and no exit. The aim is to decide, not to punish.")
    remediation = _("Meet the users, then approve, tolerate (with rules) or replace the tool, and record the "
                    "decision.")
    evidence = {"category": "category", "vendor": "vendor__slug"}

    def scope(self, ctx):
        return apps_in_use(ctx)

    def failing(self, ctx, scope):
        return scope.filter(status="shadow")
