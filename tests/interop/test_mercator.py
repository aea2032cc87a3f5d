"""Import from Mercator: its English and French demo databases give the same register."""

from __future__ import annotations

from pathlib import Path

import pytest

from mue.core.models import ChangeLogEntry, Workspace
from mue.interchange.exporter import export_workspace
from mue.interchange.mercator import import_mercator
from mue.interchange.mercator.dump import read_dump
from mue.interchange.problems import ImportFailed

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mercator"


def _dump(language: str) -> bytes:
    return (FIXTURES / f"mercator_data_{language}.sql").read_bytes()


def _shape(document: dict) -> dict:
    """What must not depend on the language: slugs, and every reference between objects."""
    keep = ("slug", "parent", "vendor", "host", "site", "runs_on", "depends_on", "data", "units", "applications",
            "services", "from", "to", "kind", "needs", "rto_hours", "rpo_hours", "encrypted", "classification",
            "personal_data")
    return {key: [{k: v for k, v in item.items() if k in keep} for item in items]
            for key, items in document.items() if isinstance(items, list)}


def test_english_and_french_dumps_give_the_same_register():
    english = import_mercator(_dump("en"), source="en.sql", workspace="hopital-en")
    french = import_mercator(_dump("fr"), source="fr.sql", workspace="hopital-fr")
    assert english.as_dict()["created"] == french.as_dict()["created"]
    assert english.as_dict()["created"] == {
        "units": 9, "parties": 14, "data_categories": 17, "sites": 1, "assets": 35, "applications": 19,
        "services": 26, "processes": 4, "flows": 9, "contracts": 8,
    }
    en, fr = export_workspace(Workspace.objects.get(slug="hopital-en")), export_workspace(
        Workspace.objects.get(slug="hopital-fr"))
    assert _shape(en) == _shape(fr)
    assert len(english.notes) == len(french.notes)
    notes = "\n".join(english.notes)
    assert "mapped: 15 applications" in notes and "merged: " in notes and "left out: " in notes
    assert "rows marked deleted in Mercator" in notes


def test_reimport_changes_nothing_and_names_come_through():
    import_mercator(_dump("fr"), source="fr.sql", workspace="hopital")
    logged = ChangeLogEntry.objects.count()
    again = import_mercator(_dump("fr"), source="fr.sql", workspace="hopital")
    assert not again.changed and ChangeLogEntry.objects.count() == logged
    from mue.applications.models import Application

    app = Application.objects.get(workspace__slug="hopital", slug="app-2")
    assert app.name == "Compta+" and app.description == "Logiciel comptable"
    assert list(app.depends_on.values_list("slug", flat=True)) == ["db-3"]


def test_a_dump_that_is_not_mercator_or_broken_is_refused():
    with pytest.raises(ImportFailed, match="Mercator's tables"):
        import_mercator(b"INSERT INTO `users` (`id`) VALUES (1);", source="x.sql", workspace="w")
    with pytest.raises(ImportFailed, match="line 2") as caught:
        import_mercator(b"-- dump\nINSERT INTO `entities` (`id`, `name`) VALUES (1, 'a', 'b');",
                        source="x.sql", workspace="w")
    assert "2 values" not in str(caught.value) and "3 values for 2 columns" in str(caught.value)
    assert not Workspace.objects.filter(slug="w").exists()


def test_postgresql_dumps_are_read_too():
    dump = read_dump("-- PostgreSQL database dump\nCOPY public.entities (id, name, is_external, deleted_at) FROM "
                     "stdin;\n1\tMairie\t0\t\\N\n2\tÉditeur\t1\t\\N\n\\.\n"
                     "INSERT INTO public.m_applications (id, name, editor) VALUES (1, 'Paie', E'\\u00c9diteur');\n")
    assert dump.dialect == "postgresql"
    assert [r["name"] for r in dump.rows("entities")] == ["Mairie", "Éditeur"]
    assert dump.rows("m_applications")[0]["id"] == 1
