"""The acceptance of #16: the service contract of Valmont's Direction enfance-éducation opens in LibreOffice."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from mue.catalogue.contracts import draft, find_unit
from mue.core.models import Workspace
from mue.demo import load_demo
from tests.reports.test_cli_docx import _soffice

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed: Debian's "
                    "libreoffice-writer-nogui, installed by .ci/run where it can be")
def test_the_enfance_contract_opens_in_libreoffice(tmp_path):
    load_demo("valmont")
    valmont = Workspace.objects.get(slug="valmont")
    out = tmp_path / "enfance.docx"
    out.write_bytes(draft(valmont, find_unit(valmont, "enfance"), "fr", "docx"))
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)], check=True, capture_output=True,
                   timeout=180)
    pdf = tmp_path / "enfance.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout.decode()
        assert "Direction enfance-éducation" in text and "Restauration scolaire et" in text
        assert "Niveaux qui ne peuvent pas encore être tenus" in text  # the planted breaches P34 and P36
