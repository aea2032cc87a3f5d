from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.base import Rule
from mue.audit.rules.common import AppAssets, general_document, object_documented
from mue.documents.models import DocumentLink

SERVER_KINDS = ("server", "virtual-machine", "cloud-resource", "network-device", "storage")


@register
class ServerWithoutAdminAccounts(Rule):
    id = "DOC-009"
    domain = "documentation"
    severity = "medium"
    object_type = "asset"
    title = _("Server without a record of its administrator accounts")
    rationale = _("Who holds the administrator accounts of a server, and where the secrets are kept, is what "
                  "a successor needs first; it is also what an attacker looks for.")
    remediation = _("Record the administrator accounts of the server (who, which accounts, where the secrets "
                    "are kept, not the secrets themselves) in a document linked to the asset.")
    evidence = {"kind": "kind", "site": "site__slug"}

    def scope(self, ctx):
        # Servers that run something: an application, or guests (virtual machines).
        runs_app = Exists(AppAssets.objects.filter(asset_id=OuterRef("pk")))
        return ctx.objects("asset").filter(kind__in=SERVER_KINDS).filter(runs_app)

    def failing(self, ctx, scope):
        # Recorded for the machine, for an application it runs, or for the whole organization.
        app_docs = DocumentLink.objects.filter(target_type="application", document__kind="admin-accounts")
        via_app = Exists(AppAssets.objects.filter(asset_id=OuterRef("pk"),
                                                  application_id__in=app_docs.values("target_id")))
        return (scope.exclude(general_document(ctx, ("admin-accounts",)))
                .exclude(object_documented("asset", ("admin-accounts",))).exclude(via_app))
