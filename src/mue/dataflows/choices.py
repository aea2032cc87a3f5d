from django.db import models
from django.utils.translation import gettext_lazy as _


class Classification(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")


class PersonalData(models.TextChoices):
    NONE = "none", _("No personal data")
    PERSONAL = "personal", _("Personal data")
    SENSITIVE = "sensitive", _("Sensitive data (GDPR art. 9)")
    CRIMINAL = "criminal", _("Criminal convictions and offences (GDPR art. 10)")


class Protocol(models.TextChoices):
    HTTPS = "https", "HTTPS"
    HTTP = "http", "HTTP"
    SFTP = "sftp", "SFTP"
    FTP = "ftp", "FTP"
    FTPS = "ftps", "FTPS"
    SMTP = "smtp", _("Email (SMTP)")
    API = "api", _("API")
    DATABASE = "database", _("Database link")
    FILE_SHARE = "file-share", _("File share (SMB/NFS)")
    VPN = "vpn", "VPN"
    RADIO = "radio", _("Radio (LoRa, Sigfox, 4G...)")
    USB = "usb", _("Removable media")
    PAPER = "paper", _("Paper")
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    REALTIME = "realtime", _("Real time")
    HOURLY = "hourly", _("Hourly")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")
    ON_DEMAND = "on-demand", _("On demand")


class FlowMode(models.TextChoices):
    AUTOMATED = "automated", _("Automated")
    MANUAL = "manual", _("Manual")
