"""The record of processing activities (GDPR art. 30): activities, their transfers and retention rules.

Three registry types: an activity links the map (processes, services, applications, flows, data
categories, units, parties, people); its transfers outside the EU/EEA and its retention per data
category are objects of their own, so that each has a row in spreadsheets and a page.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mue.core.models import RegisterObject
from mue.gdpr.choices import (
    SECURITY_MEASURES,
    WP248_CRITERIA,
    ActivityStatus,
    DpiaStatus,
    LegalBasis,
    Role,
    Safeguard,
    SensitiveCondition,
)
from mue.gdpr.dpia import CRITERIA_LABELS, required_type_choices

_SECURITY_LABELS = {
    "access_control": _("user access control"),
    "traceability": _("traceability (logs)"),
    "software_protection": _("software protection (updates, antivirus)"),
    "backup": _("data backup"),
    "encryption": _("data encryption"),
    "processor_control": _("control of processors"),
    "awareness": _("staff awareness"),
}


def _flag(label) -> models.BooleanField:
    return models.BooleanField(label, default=False)


def _refs(model: str, related: str, label) -> models.ManyToManyField:
    return models.ManyToManyField(model, blank=True, related_name=related, verbose_name=label)


def _person(label, related: str) -> models.ForeignKey:
    return models.ForeignKey("organization.Person", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name=related, verbose_name=label)


class ProcessingActivity(RegisterObject):
    """A processing activity of the record (état civil, school catering, video protection...)."""

    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices,
                              default=ActivityStatus.ACTIVE)
    purposes = models.TextField(_("purposes"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices, blank=True)
    sensitive_condition = models.CharField(
        _("condition for sensitive data"), max_length=30, choices=SensitiveCondition.choices, blank=True,
        help_text=_("For sensitive (art. 9) or criminal (art. 10) data: the exception relied on."))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CONTROLLER)
    controllers = _refs("vendors.ExternalParty", "processing_controlled", _("other controllers"))
    unit = models.ForeignKey("organization.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="processing_activities", verbose_name=_("unit"))
    responsible = _person(_("person responsible"), "processing_responsible")
    dpo = _person(_("data protection officer"), "processing_dpo")
    data = _refs("dataflows.DataCategory", "processing_activities", _("data categories"))
    data_subjects = models.CharField(_("data subjects"), max_length=300, blank=True)
    internal_recipients = _refs("organization.Unit", "processing_received", _("internal recipients"))
    recipients = _refs("vendors.ExternalParty", "processing_received", _("external recipients"))
    processes = _refs("services.Process", "processing_activities", _("business processes"))
    services = _refs("services.Service", "processing_activities", _("services"))
    applications = _refs("applications.Application", "processing_activities", _("applications"))
    flows = _refs("dataflows.DataFlow", "processing_activities", _("flows"))
    security_access_control = _flag(_SECURITY_LABELS["access_control"])
    security_traceability = _flag(_SECURITY_LABELS["traceability"])
    security_software_protection = _flag(_SECURITY_LABELS["software_protection"])
    security_backup = _flag(_SECURITY_LABELS["backup"])
    security_encryption = _flag(_SECURITY_LABELS["encryption"])
    security_processor_control = _flag(_SECURITY_LABELS["processor_control"])
    security_awareness = _flag(_SECURITY_LABELS["awareness"])
    security_note = models.TextField(_("other security measures"), blank=True)
    wp248_evaluation = _flag(CRITERIA_LABELS["evaluation"])
    wp248_automated_decision = _flag(CRITERIA_LABELS["automated_decision"])
    wp248_monitoring = _flag(CRITERIA_LABELS["monitoring"])
    wp248_sensitive = _flag(CRITERIA_LABELS["sensitive"])
    wp248_large_scale = _flag(CRITERIA_LABELS["large_scale"])
    wp248_matching = _flag(CRITERIA_LABELS["matching"])
    wp248_vulnerable = _flag(CRITERIA_LABELS["vulnerable"])
    wp248_innovative = _flag(CRITERIA_LABELS["innovative"])
    wp248_prevents_right = _flag(CRITERIA_LABELS["prevents_right"])
    dpia_required_type = models.CharField(
        _("type always requiring a DPIA"), max_length=40, choices=required_type_choices, blank=True,
        help_text=_("GDPR art. 35(3) or the CNIL's list (délibération 2018-327)."))
    dpia_status = models.CharField(_("DPIA status"), max_length=20, choices=DpiaStatus.choices, blank=True)
    dpia_date = models.DateField(_("DPIA date"), null=True, blank=True)
    dpia_link = models.CharField(_("DPIA document"), max_length=500, blank=True,
                                 help_text=_("Address or location of the impact assessment."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("processing activity")
        verbose_name_plural = _("processing activities")

    class Map:
        key = "processing_activities"
        singular = "processing_activity"
        order = 110
        groups = {
            "security": SECURITY_MEASURES,
            "dpia_criteria": WP248_CRITERIA,
        }


class Transfer(RegisterObject):
    """Personal data of an activity going outside the EU/EEA, with what allows it (GDPR chapter V).

    The activity may be left empty while the record is being built (like every reference of the
    register, it is a nullable key the importer resolves); such a transfer covers no activity.
    """

    activity = models.ForeignKey(ProcessingActivity, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="transfers", verbose_name=_("processing activity"))
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 alpha-2 code."))
    recipient = models.ForeignKey("vendors.ExternalParty", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="transfers", verbose_name=_("recipient"))
    application = models.ForeignKey("applications.Application", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="transfers", verbose_name=_("application"))
    safeguard = models.CharField(_("safeguard"), max_length=20, choices=Safeguard.choices, blank=True)
    safeguard_reference = models.CharField(_("safeguard reference"), max_length=300, blank=True,
                                           help_text=_("The clauses, the decision or the derogation relied on."))

    class Meta(RegisterObject.Meta):
        verbose_name = _("transfer outside the EU")
        verbose_name_plural = _("transfers outside the EU")

    class Map:
        key = "transfers"
        singular = "transfer"
        order = 111


class RetentionRule(RegisterObject):
    """How long an activity keeps a data category, and how it is purged."""

    activity = models.ForeignKey(ProcessingActivity, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="retention_rules", verbose_name=_("processing activity"))
    data = models.ForeignKey("dataflows.DataCategory", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="retention_rules", verbose_name=_("data category"))
    retention_months = models.PositiveIntegerField(_("retention (months)"), null=True, blank=True)
    retention_note = models.CharField(_("retention rule"), max_length=300, blank=True,
                                      help_text=_("Starting event, archiving: \"end of schooling + 1 year\"."))
    purge_procedure = models.CharField(_("purge procedure"), max_length=500, blank=True,
                                       help_text=_("How and by whom the data are deleted or archived at the end."))
    purge_document = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="retention_rules", verbose_name=_("purge procedure document"))

    class Meta(RegisterObject.Meta):
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    class Map:
        key = "retention_rules"
        singular = "retention_rule"
        order = 112
