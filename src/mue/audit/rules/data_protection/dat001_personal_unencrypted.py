from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.data_protection._flows import UnencryptedFlowRule


@register
class PersonalDataUnencrypted(UnencryptedFlowRule):
    id = "DAT-001"
    domain = "data-protection"
    severity = "high"
    personal = ("personal",)
    title = _("Personal data carried unencrypted")
    rationale = _("GDPR art. 32 asks for security appropriate to the risk; personal data crossing a network "
                  "in clear text can be read by anyone on the path.")
    remediation = _("Encrypt the flow (HTTPS, SFTP, VPN) and record it; if it is already encrypted, say so in "
                    "the register.")
