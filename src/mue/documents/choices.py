from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    ARCHITECTURE = "architecture", _("Architecture")
    PROCEDURE = "procedure", _("Operating procedure")
    BACKUP_RESTORE = "backup-restore", _("Backup and restore")
    ADMIN_ACCOUNTS = "admin-accounts", _("Administrator accounts")
    CONTINUITY_PLAN = "continuity-plan", _("Continuity / recovery plan")
    CONTRACT = "contract", _("Contract")
    USER_GUIDE = "user-guide", _("User guide")
    OTHER = "other", _("Other")


class TermsDirection(models.TextChoices):
    CONSUMED = "consumed", _("Terms we accept (a service we use)")
    PUBLISHED = "published", _("Terms we publish (a service we offer)")
