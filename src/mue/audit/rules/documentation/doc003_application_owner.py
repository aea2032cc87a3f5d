from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import SANCTIONED_STATUSES, apps_in_use


@register
class ApplicationWithoutOwner(Rule):
    id = "DOC-003"
    domain = "documentation"
    severity = "medium"
    object_type = "application"
    title = _("Application without an owner")
    rationale = _("An application nobody owns is renewed, updated and secured by nobody; the owner is the person "
                  "the audit, the vendor and the users turn to.")
    remediation = _("Name the owner of the application (usually in the business unit that uses it most).")
    evidence = {"status": "status", "kind": "kind", "vendor": "vendor__slug"}

    def scope(self, ctx):
        return apps_in_use(ctx, SANCTIONED_STATUSES)

    def failing(self, ctx, scope):
        return scope.filter(owner__isnull=True)
