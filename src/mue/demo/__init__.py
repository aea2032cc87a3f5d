"""Demo workspaces shipped with Mue, loaded by ``mue demo`` and ``make run``.

- ``valmont``: Commune de Valmont, a fictional French commune of ~15,000 inhabitants, in French,
  with the problems an audit must find planted in it (listed in ``docs/demo.md``);
- ``atelier``: a small English-speaking SME followed by a digital advisor.
"""

from __future__ import annotations

from pathlib import Path

from mue.interchange.files import import_file
from mue.interchange.importer import ImportReport

DEMO_DIR = Path(__file__).resolve().parent
DEMOS = {"valmont": DEMO_DIR / "valmont.yaml", "atelier": DEMO_DIR / "atelier.yaml"}


def load_demo(name: str, replace: bool = False) -> ImportReport:
    """Import a demo workspace (idempotent: loading it twice changes nothing)."""
    from mue.core.models import Workspace

    if replace:
        Workspace.objects.filter(slug=name).delete()
    return import_file(DEMOS[name], actor="demo", channel="demo")
