"""Starter templates: the usual units, services, processes and data categories of a commune, an
inter-municipal body, an SME or an association, in French and English, shipped as map files
(``starters/<kind>.<language>.yaml``) and imported through the one import pipeline.

A new client workspace is one transaction: the template imported under the workspace's slug and
name, the advisor made its auditor (allowed to edit, so they can fill the register in), the client's
contact invited as its owner. Anything that fails leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mue.accounts.members import add_member
from mue.accounts.models import Invitation
from mue.core.models import Membership, Role, Workspace
from mue.interchange.importer import ImportReport, import_document
from mue.interchange.sources import load_structured

STARTER_DIR = Path(__file__).resolve().parent / "starters"
STARTERS: dict[str, object] = {
    "commune": _("Municipality"),
    "intercommunality": _("Inter-municipal body"),
    "sme": _("Small or medium enterprise"),
    "association": _("Association"),
}
LANGUAGES = ("fr", "en")


def starter_path(kind: str, language: str) -> Path:
    if kind not in STARTERS or language not in LANGUAGES:
        raise ValueError(f"no starter template {kind!r} in {language!r}")
    return STARTER_DIR / f"{kind}.{language}.yaml"


def may_create_workspaces(user) -> bool:
    """Site administrators, and the members who own or audit a workspace (the advisors), create workspaces."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Membership.objects.filter(user=user, role__in=[Role.OWNER, Role.AUDITOR]).exists()


@dataclass
class Created:
    workspace: Workspace
    report: ImportReport
    invitation: Invitation | None
    token: str | None


def create_from_starter(*, kind: str, language: str, slug: str, name: str, advisor, contact_email: str,
                        population: int | None = None) -> Created:
    """Import the starter as a new workspace, the advisor its auditor, the contact invited as owner.

    The caller sends the invitation (it knows the site's address); a failure in it rolls all back when
    the caller keeps it inside the same transaction (:func:`transaction.atomic`).
    """
    path = starter_path(kind, language)
    document, locate = load_structured(path.read_bytes(), path.name, "yaml")
    header = dict(document.get("workspace") or {})
    header.update(slug=slug, name=name, kind=kind, language=language)
    if population:
        header["population"] = population
    document["workspace"] = header
    with transaction.atomic():
        if Workspace.objects.filter(slug=slug).exists():
            raise ValueError(f"a workspace {slug!r} already exists")
        report = import_document(document, source=path.name, locate=locate, actor=advisor.get_username(),
                                 channel="web")
        workspace = Workspace.objects.get(slug=slug)
        add_member(workspace, advisor, Role.AUDITOR, can_edit=True)
        invitation, token = (Invitation.create(workspace, contact_email, Role.OWNER, invited_by=advisor)
                             if contact_email else (None, None))
    return Created(workspace, report, invitation, token)
