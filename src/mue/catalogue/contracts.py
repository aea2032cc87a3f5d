"""Generating the service contract of a unit, and keeping its versions.

A *draft* is generated on demand from the register as it is (nothing stored). *Recording* a version
stores a :class:`~mue.catalogue.models.ServiceContract` (version n+1 of the unit, its review date
and signatories) with the DOCX generated at that moment, kept byte for byte: a signed version never
changes when the register does. The sign-off dates are set later on the version (its page, the API
or a map file), like any register object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mue.catalogue.content import ContractContent, _next_year, build_content
from mue.catalogue.models import ServiceContract, ServiceContractFile
from mue.core.models import Workspace
from mue.organization.models import Unit

FORMATS = ("docx", "html")


class ContractError(ValueError):
    """A contract cannot be generated as asked (unknown unit, format or language)."""


def find_unit(workspace: Workspace, slug: str) -> Unit:
    unit = Unit.objects.filter(workspace=workspace, slug=slug).first()
    if unit is None:
        raise ContractError(_("no unit '%(unit)s' in workspace %(workspace)s") % {"unit": slug,
                                                                                  "workspace": workspace.slug})
    return unit


def render(content: ContractContent, fmt: str, template: Path | None = None) -> bytes:
    if fmt not in FORMATS:
        raise ContractError(_("unknown format '%(format)s' (docx or html)") % {"format": fmt})
    if fmt == "docx":
        from mue.catalogue.word import render_docx

        return render_docx(content, template)
    from mue.catalogue.html import render_html

    return render_html(content)


def draft(workspace: Workspace, unit: Unit, language: str, fmt: str, template: Path | None = None,
          today: dt.date | None = None) -> bytes:
    """The contract as the register states it now, not stored."""
    if language not in ("fr", "en"):
        raise ContractError(_("language: fr or en"))
    return render(build_content(workspace, unit, language, today=today), fmt, template)


def record_version(workspace: Workspace, unit: Unit, language: str, template: Path | None = None,
                   review_date: dt.date | None = None, today: dt.date | None = None) -> ServiceContract:
    """Store version n+1 of the unit's contract with its DOCX, in one transaction (logged like any save)."""
    if language not in ("fr", "en"):
        raise ContractError(_("language: fr or en"))
    today = today or dt.date.today()
    with transaction.atomic():
        # Lock the unit's row so that two recordings at once cannot take the same version number.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        last = ServiceContract.objects.filter(workspace=workspace, unit=unit).aggregate(v=Max("version"))["v"] or 0
        version = last + 1
        slug = f"{unit.slug}-v{version}"[:100]
        record = ServiceContract(
            workspace=workspace, unit=unit, version=version, language=language, slug=slug,
            name=_("Service contract %(unit)s, version %(version)s") % {"unit": unit.name, "version": version},
            review_date=review_date or _next_year(today), generated=timezone.now())
        record.full_clean(exclude=["workspace"])
        record.save()
        data = render(build_content(workspace, unit, language, record=record, today=today), "docx", template)
        ServiceContractFile.objects.create(contract=record, content=data, size=len(data),
                                           sha256=hashlib.sha256(data).hexdigest())
    return record


def stored_file(record: ServiceContract) -> bytes:
    stored = ServiceContractFile.objects.filter(contract=record).only("content").first()
    if stored is None:
        raise ContractError(_("%(contract)s has no generated file") % {"contract": record.name})
    return bytes(stored.content)
