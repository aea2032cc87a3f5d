from django.utils.translation import gettext_lazy as _

from mue.audit.rules import register
from mue.audit.rules.common import SENSITIVE
from mue.audit.rules.data_protection._flows import UnencryptedFlowRule


@register
class SensitiveDataUnencrypted(UnencryptedFlowRule):
    id = "DAT-002"
    domain = "data-protection"
    severity = "critical"
    personal = SENSITIVE
    title = _("Sensitive personal data carried unencrypted")
    rationale = _("Health, social, judicial and other special-category data (GDPR art. 9 and 10) exposed in "
                  "transit harm the people concerned most and must be notified to the authority.")
    remediation = _("Stop or encrypt the flow now (HTTPS, SFTP, VPN, encrypted archive); record the protection.")
