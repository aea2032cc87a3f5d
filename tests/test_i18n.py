"""Mue ships complete in French and English.

English is the source language (the msgids); French is the catalogue ``src/mue/locale/fr``.
These tests keep it complete (nothing untranslated or fuzzy), safe (every placeholder kept),
current (every marked string of the code is in it), and really served once compiled.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.utils import translation

import mue

PACKAGE = Path(mue.__file__).resolve().parent
LOCALE = PACKAGE / "locale"
FRENCH = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
ENGLISH = LOCALE / "en" / "LC_MESSAGES" / "django.po"
#: Same option as `make messages`: the demo data is written in its own language, not translated.
IGNORED = ("demo/*",)

# Named (%(name)s, %(value)r, %(n)05.1f), positional (%s, %d, %r) and str.format ({name}) placeholders.
# Positional ones take no flags, so "120% of" (a percentage, not a format) is not read as "% o".
NAMED = re.compile(r"%\((?P<name>[^)]+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
POSITIONAL = re.compile(r"(?<!%)%(?:\d+\$)?[sdr]")
BRACED = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*\}(?!\})")


def _catalogue(path: Path) -> polib.POFile:
    return polib.pofile(str(path))


def _key(entry: polib.POEntry) -> tuple[str | None, str]:
    return entry.msgctxt, entry.msgid


def _live(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def _placeholders(text: str) -> Counter:
    found: Counter = Counter(m.group(0) for m in NAMED.finditer(text))
    found.update(m.group(0) for m in BRACED.finditer(text))
    found.update(f"positional {m.group(0)}" for m in POSITIONAL.finditer(text))
    return found


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


# -- (a) complete ---------------------------------------------------------------------------------


def test_french_catalogue_header():
    po = _catalogue(FRENCH)
    assert po.metadata["Language"] == "fr"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n>1);"
    assert not po.metadata_is_fuzzy


def test_english_catalogue_header():
    po = _catalogue(ENGLISH)
    assert po.metadata["Language"] == "en"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert po.metadata["Plural-Forms"].replace(" ", "") == "nplurals=2;plural=(n!=1);"
    assert not po.metadata_is_fuzzy
    # Same strings as the French catalogue: both are made by the same makemessages run.
    assert {_key(e) for e in _live(po)} == {_key(e) for e in _live(_catalogue(FRENCH))}


def test_french_catalogue_is_complete():
    po = _catalogue(FRENCH)
    entries = _live(po)
    assert len(entries) > 500, "the French catalogue looks truncated"
    untranslated = [e.msgid for e in entries if not all(_translations(e))]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"{len(untranslated)} untranslated French entries, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy French entries (check and remove the flag), e.g. {fuzzy[:5]}"


def test_french_plural_entries_have_both_forms():
    for entry in _live(_catalogue(FRENCH)):
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid


# -- (b) placeholders -----------------------------------------------------------------------------


def test_placeholder_reader():
    """The reader this file relies on sees what it must, and no percentages."""
    assert _placeholders("%(n)s rows, %(value)r, {name} and %s") == Counter(
        {"%(n)s": 1, "%(value)r": 1, "{name}": 1, "positional %s": 1})
    assert not _placeholders("Licences paid above 120% of active users, 100%% sure, {{literal}}")


def test_every_placeholder_is_kept():
    problems = []
    for entry in _live(_catalogue(FRENCH)):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        wanted = set().union(*(_placeholders(s) for s in sources))
        for text in _translations(entry):
            have = _placeholders(text)
            if set(have) != wanted:
                problems.append(f"{entry.msgid!r}: expected {sorted(wanted)}, got {sorted(have)} in {text!r}")
    assert not problems, "\n".join(problems)


def test_translated_format_strings_format():
    """A msgid that formats with its named values must still format in French (no stray or broken %)."""

    class Values(dict):
        def __missing__(self, key: str) -> int:
            return 1

    broken = []
    for entry in _live(_catalogue(FRENCH)):
        try:
            entry.msgid % Values()
        except (TypeError, ValueError, KeyError):
            continue  # not a %-format string at all ("120% of ...")
        for text in _translations(entry):
            try:
                text % Values()
            except (TypeError, ValueError, KeyError) as exc:
                broken.append(f"{text!r}: {exc}")
    assert not broken, "\n".join(broken)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("catalogue", [FRENCH, ENGLISH], ids=["fr", "en"])
def test_msgfmt_accepts_the_catalogue(catalogue):
    """What Django's compilemessages would check: syntax, headers and format strings (msgfmt --check)."""
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(catalogue)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr, done.stderr


# -- (c) current ----------------------------------------------------------------------------------


def _extracted_msgids(tmp_path: Path) -> set[tuple[str | None, str]]:
    """Run makemessages on a copy of the package (never on the real catalogues) and read the template."""
    copy = tmp_path / "mue"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc", "static"))
    shutil.rmtree(copy / "locale")
    (copy / "locale").mkdir()
    command = [sys.executable, "-m", "django", "makemessages", "-l", "fr", "--keep-pot", "--no-obsolete"]
    for pattern in IGNORED:
        command += ["-i", pattern]
    # No settings module: makemessages then writes into ./locale of the copy, not into LOCALE_PATHS.
    env = {k: v for k, v in __import__("os").environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    pot = copy / "locale" / "django.pot"
    assert pot.exists(), done.stdout + done.stderr
    return {_key(e) for e in polib.pofile(str(pot)) if e.msgid}


@pytest.mark.skipif(shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
                    reason="GNU gettext tools (xgettext, msgmerge) are not installed: apt-get install gettext")
def test_french_catalogue_is_current(tmp_path):
    in_code = _extracted_msgids(tmp_path)
    assert len(in_code) > 500, "makemessages found too few strings: is the copy complete?"
    in_catalogue = {_key(e) for e in _live(_catalogue(FRENCH))}
    missing = sorted(msgid for _ctx, msgid in in_code - in_catalogue)
    assert not missing, (
        f"{len(missing)} marked strings are missing from the French catalogue; run `make messages`, translate "
        f"them (docs/translation.md) and commit the catalogues: {missing[:10]}"
    )


#: Translation functions whose first argument is a msgid.
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy", "ngettext",
                 "ngettext_lazy", "npgettext"}


def _msgids_in_fstrings() -> list[tuple[str, str]]:
    """(file:line, msgid) of every translation call written inside an f-string of the package."""
    import ast

    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] in ("demo", "locale") or "migrations" in relative.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                        and call.func.id in GETTEXT_NAMES):
                    continue
                position = 1 if call.func.id.startswith(("pgettext", "npgettext")) else 0  # after the context
                if len(call.args) > position and isinstance(call.args[position], ast.Constant):
                    found.append((f"{relative}:{call.lineno}", call.args[position].value))
    return found


def test_msgids_inside_fstrings_are_in_the_catalogue():
    """xgettext skips f-strings: a msgid translated only inside one never reaches the catalogue."""
    catalogue = {e.msgid for e in _live(_catalogue(FRENCH))}
    missing = [f"{where} {msgid!r}" for where, msgid in _msgids_in_fstrings() if msgid not in catalogue]
    assert not missing, (
        "translated inside an f-string, so never extracted (translate first, then format with named placeholders, "
        "and run make messages; docs/translation.md):\n" + "\n".join(missing)
    )


# -- (d) served -----------------------------------------------------------------------------------


def _import_problems(document: dict) -> list[str]:
    from mue.interchange.importer import import_document
    from mue.interchange.problems import ImportFailed

    with pytest.raises(ImportFailed) as failed:
        import_document(document, workspace="nowhere")
    return [p.message for p in failed.value.problems]


def test_french_is_served_once_compiled(compiled, db):
    from mue.applications.choices import ApplicationStatus
    from mue.applications.models import Application
    from mue.services.models import Service
    from mue.vendors.models import Contract

    document = {"workspace": {"slug": "w", "name": "W"}, "nonsense": []}
    with translation.override("fr"):
        assert str(Application._meta.verbose_name) == "application"
        assert str(Application._meta.get_field("hosting_country").verbose_name) == "pays d'hébergement"
        assert str(Service._meta.get_field("criticality").verbose_name) == "criticité"
        assert str(Service._meta.get_field("rto_hours").verbose_name) == "DMIA (heures)"
        assert str(Contract._meta.get_field("tacit_renewal").verbose_name) == "reconduction tacite"
        assert str(ApplicationStatus.BANNED.label) == "Interdite"
        assert any(m.startswith("clé de premier niveau inconnue 'nonsense'") for m in _import_problems(document))
    with translation.override("en"):
        assert str(Application._meta.verbose_name) == "application"
        assert str(Application._meta.get_field("hosting_country").verbose_name) == "hosting country"
        assert str(Service._meta.get_field("rto_hours").verbose_name) == "RTO (hours)"
        assert str(ApplicationStatus.BANNED.label) == "Banned"
        assert any(m.startswith("unknown top-level key 'nonsense'") for m in _import_problems(document))


def test_rule_catalogue_markdown_is_french_in_french(compiled):
    """`mue rules --markdown --lang fr` is French throughout, skeleton included; English stays docs/rules.md's."""
    from mue.audit.catalogue_doc import render_markdown

    french = render_markdown("fr")
    assert french.startswith("# Règles d'audit\n")
    for line in ("- Pourquoi\u00a0: ", "- Que faire\u00a0: ", "- Gravité\u00a0: ", "| id | gravité | domaine |"):
        assert line in french, line
    assert "What to do:" not in french and "Why:" not in french
    english = render_markdown("en")
    assert english.startswith("# Audit rules\n") and "- What to do: " in english


def test_every_french_entry_is_served_once_compiled(compiled):
    """What is in the .po is what Django answers in French: the compiled catalogue is complete."""
    with translation.override("fr"):
        for entry in _live(_catalogue(FRENCH)):
            if entry.msgid_plural:
                got = [translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                       if entry.msgctxt else translation.ngettext(entry.msgid, entry.msgid_plural, n)
                       for n in (1, 2)]
                assert got == [entry.msgstr_plural[0], entry.msgstr_plural[1]], entry.msgid
            elif entry.msgctxt:
                assert translation.pgettext(entry.msgctxt, entry.msgid) == entry.msgstr, entry.msgid
            else:
                assert translation.gettext(entry.msgid) == entry.msgstr, entry.msgid


# -- labels are marked ------------------------------------------------------------------------------

#: Known unmarked labels, each waiting for a migration in an app owned by someone else. Keep it short.
UNMARKED_KNOWN = {("documents", "DocumentLink", "document")}
#: Choice labels that are the same word in every language (protocol names).
UNTRANSLATED_CHOICES = {"HTTPS", "HTTP", "SFTP", "FTP", "FTPS", "VPN"}
#: Choices labelled by their own bilingual data instead of gettext (see test_category_taxonomy_is_bilingual).
OWN_LABELS = {("applications", "Application", "category")}


def test_every_model_label_is_marked_for_translation():
    """Model, field, choice and app labels are lazy translations, so the catalogue can give them in French."""
    from django.apps import apps
    from django.utils.functional import Promise

    unmarked = []
    for config in apps.get_app_configs():
        if not config.name.startswith("mue."):
            continue
        if not isinstance(config.verbose_name, Promise):
            unmarked.append(f"app {config.label}: verbose_name {config.verbose_name!r}")
        for model in config.get_models():
            where = f"{config.label}.{model.__name__}"
            for attr in ("verbose_name", "verbose_name_plural"):
                if not isinstance(model._meta.original_attrs.get(attr), Promise):
                    unmarked.append(f"{where}: Meta.{attr}")
            for field in model._meta.get_fields():
                if field.auto_created or not hasattr(field, "verbose_name"):
                    continue
                if (config.label, model.__name__, field.name) in UNMARKED_KNOWN:
                    continue
                if not isinstance(field.verbose_name, Promise):
                    unmarked.append(f"{where}.{field.name}: verbose_name {field.verbose_name!r}")
                if field.help_text and not isinstance(field.help_text, Promise):
                    unmarked.append(f"{where}.{field.name}: help_text {field.help_text!r}")
                if field.choices and (config.label, model.__name__, field.name) not in OWN_LABELS:
                    for _value, label in field.flatchoices:
                        if not isinstance(label, Promise) and label not in UNTRANSLATED_CHOICES:
                            unmarked.append(f"{where}.{field.name}: choice {label!r}")
    assert not unmarked, "labels not marked with gettext_lazy:\n" + "\n".join(unmarked)


# -- (e) taxonomy ---------------------------------------------------------------------------------


def test_category_taxonomy_is_bilingual():
    from mue.applications.taxonomy import categories, category_choices

    taxonomy = categories()
    assert len(taxonomy) > 20
    for slug, item in taxonomy.items():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug), slug
        # An unquoted comma in a YAML flow mapping silently splits a label into extra keys.
        assert set(item) == {"slug", "group", "fr", "en"}, f"{slug}: keys {sorted(item)} (quote labels with commas)"
        for language in ("fr", "en"):
            assert isinstance(item.get(language), str) and item[language].strip(), f"{slug}: no {language} label"
        assert item.get("group"), f"{slug}: no group"
    french = {item["fr"] for item in taxonomy.values()}
    english = {item["en"] for item in taxonomy.values()}
    assert len(french) == len(english) == len(taxonomy), "two categories share a label"
    with translation.override("fr"):
        assert dict(category_choices())["video-conferencing"] == "Visioconférence"
        assert dict(category_choices())["security"] == "Sécurité (antivirus, pare-feu, EDR)"
    with translation.override("en"):
        assert dict(category_choices())["video-conferencing"] == "Video conferencing"
