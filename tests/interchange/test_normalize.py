"""Cell values read as map values: normalised where unambiguous, reported where not."""

from __future__ import annotations

import datetime as dt

import pytest

from mue.core.registry import registry
from mue.interchange.normalize import Names, Normalizer, Unreadable, fold


def field(type_key: str, key: str):
    otype = registry[type_key]
    for mf in otype.flat_fields():
        if mf.key == key:
            return mf
    raise KeyError(key)


@pytest.fixture
def read():
    normalizer = Normalizer(Names(None))

    def convert(type_key: str, key: str, raw):
        return normalizer.convert(field(type_key, key), raw)

    return convert


def test_fold_ignores_case_accents_and_separators():
    assert fold("  Hébergé_sur-SITE ") == "heberge sur site"
    assert fold("États-Unis") == fold("etats unis")


@pytest.mark.parametrize("raw, expected", [
    ("Oui", True), ("non", False), ("YES", True), ("no", False), ("vrai", True), ("Faux", False),
    ("x", True), ("1", True), ("0", False), ("o", True), ("n", False), ("true", True), ("FALSE", False),
    (True, True), (False, False), (1, True), (0, False),
])
def test_yes_no_in_french_and_english(read, raw, expected):
    converted = read("applications", "mfa", raw)
    assert converted.value is expected
    # a boolean cell is already a boolean: nothing to report; words are reported
    assert (converted.note is None) == isinstance(raw, bool)


def test_unknown_yes_no_is_a_problem_and_unknown_means_empty_when_allowed(read):
    with pytest.raises(Unreadable, match="not yes or no"):
        read("applications", "mfa", "peut-être")
    assert read("applications", "mfa", "inconnu").value is None
    with pytest.raises(Unreadable):
        read("applications", "mfa", dt.datetime(2024, 1, 1))


@pytest.mark.parametrize("type_key, key, raw, expected", [
    ("applications", "licence_model", "abonnement", "subscription"),
    ("applications", "licence_model", "Subscription", "subscription"),
    ("applications", "licence_model", "SaaS subscription", "subscription"),
    ("applications", "licence_model", "libre", "open-source"),
    ("applications", "licence_model", "Open Source", "open-source"),
    ("applications", "licence_model", "GPL", "open-source"),
    ("applications", "licence_model", "gratuit", "free"),
    ("applications", "licence_model", "free", "free"),
    ("applications", "licence_model", "Perpétuelle", "perpetual"),
    ("applications", "licence_model", "perpetual", "perpetual"),
    ("applications", "licence_model", "par utilisateur", "per-user"),
    ("applications", "kind", "SaaS", "saas"),
    ("applications", "kind", "cloud", "saas"),
    ("applications", "kind", "installé", "on-premises"),
    ("applications", "kind", "Sur site", "on-premises"),
    ("applications", "kind", "on-premise", "on-premises"),
    ("applications", "kind", "On premises", "on-premises"),
    ("applications", "status", "Approuvé", "approved"),
    ("applications", "status", "validé", "approved"),
    ("applications", "status", "toléré", "tolerated"),
    ("applications", "status", "non autorisé", "shadow"),
    ("applications", "status", "Shadow IT", "shadow"),
    ("applications", "category", "Messagerie électronique", "email"),  # French label of the taxonomy
    ("services", "criticality", "3", 3),
    ("services", "criticality", 4.0, 4),
    ("services", "criticality", "élevé", 3),
    ("services", "criticality", "2 - medium", 2),
    ("services", "availability", "vital", 4),
    ("contracts", "currency", "€", "EUR"),
    ("contracts", "currency", "franc suisse", "CHF"),
])
def test_enumerations_by_value_label_or_synonym(read, type_key, key, raw, expected):
    converted = read(type_key, key, raw)
    assert converted.value == expected
    if raw != expected:
        assert converted.note and str(expected) in converted.note


def test_exact_value_gives_no_note(read):
    assert read("applications", "status", "approved").note is None
    assert read("services", "criticality", 3).note is None


@pytest.mark.parametrize("type_key, key, raw, options", [
    ("applications", "kind", "Hybride", ["saas", "on-premises"]),
    ("applications", "licence_model", "licence", ["per-user", "perpetual"]),
    ("contracts", "currency", "dollar", ["USD", "CAD"]),
])
def test_ambiguous_enumeration_is_reported_with_its_options(read, type_key, key, raw, options):
    with pytest.raises(Unreadable, match="ambiguous") as caught:
        read(type_key, key, raw)
    for option in options:
        assert option in str(caught.value)


def test_unknown_enumeration_lists_the_allowed_values(read):
    with pytest.raises(Unreadable) as caught:
        read("applications", "status", "en cours d'étude")
    message = str(caught.value)
    assert "not an allowed value" in message
    for value in ("approved", "tolerated", "shadow", "banned", "retired"):
        assert value in message


def test_wrong_cell_types_for_an_enumeration(read):
    with pytest.raises(Unreadable, match="a date"):
        read("services", "criticality", dt.datetime(2024, 3, 1))
    with pytest.raises(Unreadable):
        read("services", "criticality", 7)


@pytest.mark.parametrize("raw, expected", [
    ("France", "FR"), ("allemagne", "DE"), ("États-Unis", "US"), ("USA", "US"), ("Irlande", "IE"),
    ("Royaume-Uni", "GB"), ("UK", "GB"), ("Suisse", "CH"), ("Belgique", "BE"), ("Pays-Bas", "NL"),
    ("Canada", "CA"), ("fr", "FR"), ("IE", "IE"),
])
def test_countries_by_name_or_code(read, raw, expected):
    converted = read("applications", "hosting_country", raw)
    assert converted.value == expected
    assert (converted.note is None) == (raw == expected)


def test_a_region_or_unknown_name_is_not_a_country(read):
    with pytest.raises(Unreadable, match="not one country"):
        read("applications", "hosting_country", "Europe")
    with pytest.raises(Unreadable, match="ISO 3166"):
        read("parties", "country", "Atlantide")


@pytest.mark.parametrize("raw, expected, noted", [
    (dt.datetime(2027, 1, 1, 0, 0), "2027-01-01", False),
    (dt.date(2027, 1, 1), "2027-01-01", False),
    ("2027-01-01", "2027-01-01", False),
    ("31/12/2026", "2026-12-31", True),
    ("1.2.2026", "2026-02-01", True),
    ("05/03/26", "2026-03-05", True),
    (46023, "2026-01-01", True),  # a date serial that lost its format
])
def test_dates(read, raw, expected, noted):
    converted = read("applications", "end_of_support", raw)
    assert converted.value == expected
    assert bool(converted.note) == noted


@pytest.mark.parametrize("raw", ["31/02/2026", "bientôt", True, 2027])
def test_bad_dates(read, raw):
    with pytest.raises(Unreadable, match="not a date"):
        read("applications", "end_of_support", raw)


@pytest.mark.parametrize("type_key, key, raw, expected", [
    ("applications", "seats", "35", 35),
    ("applications", "seats", 35.0, 35),
    ("applications", "seats", "1 200", 1200),
    ("costs", "amount", "1,5", 1.5),
    ("costs", "amount", "1 234,50 €", 1234.5),
    ("costs", "amount", "1.234,50", 1234.5),
    ("costs", "amount", "1,234.50", 1234.5),
    ("costs", "amount", 99.9, 99.9),
    ("costs", "amount", "12", 12),
])
def test_numbers_with_french_decimal_comma(read, type_key, key, raw, expected):
    assert read(type_key, key, raw).value == expected


@pytest.mark.parametrize("raw, message", [
    ("abc", "not a number"), ("1,5", "not a whole number"), (dt.datetime(2024, 1, 1), "not a number"),
    (True, "not a number"),
])
def test_bad_numbers(read, raw, message):
    with pytest.raises(Unreadable, match=message):
        read("applications", "seats", raw)


def test_clear_markers_and_lists(read):
    assert read("applications", "seats", "-").value is None
    assert read("applications", "vendor", "null").value is None
    assert read("applications", "depends_on", "-").value == []
    assert read("applications", "tags", "a; b, c").value == ["a", "b", "c"]
    assert read("applications", "version", 2.0).value == "2"
    assert read("applications", "slug", "Portail Famille").value == "portail-famille"


def test_references_by_slug_or_unique_name(db, workspace):
    from mue.vendors.models import ExternalParty

    ExternalParty.objects.create(workspace=workspace, slug="ms", name="Microsoft")
    ExternalParty.objects.create(workspace=workspace, slug="editeur-a", name="Éditeur")
    ExternalParty.objects.create(workspace=workspace, slug="editeur-b", name="editeur")
    names = Names(workspace.id)
    normalizer = Normalizer(names)
    vendor = field("applications", "vendor")
    assert normalizer.convert(vendor, "ms").value == "ms"
    assert normalizer.convert(vendor, "ms").note is None
    by_name = normalizer.convert(vendor, "MICROSOFT")
    assert by_name.value == "ms" and "'MICROSOFT' read as 'ms'" in by_name.note
    with pytest.raises(Unreadable, match="ambiguous") as caught:
        normalizer.convert(vendor, "Editeur")
    assert "editeur-a" in str(caught.value) and "editeur-b" in str(caught.value)
    with pytest.raises(Unreadable, match="no external party has the slug or name"):
        normalizer.convert(vendor, "Oracle Corp")
    # a slug-looking unknown value is left for the importer to name as an unknown reference
    assert normalizer.convert(vendor, "oracle").value == "oracle"
    # names from the same file count too
    names.add("application", "portail", "Portail Famille")
    assert normalizer.convert(field("applications", "depends_on"), "portail famille; Portail").value == ["portail"]


def test_endpoints_and_links_by_name(db, workspace):
    from mue.applications.models import Application
    from mue.organization.models import Unit
    from mue.services.models import Service

    Application.objects.create(workspace=workspace, slug="portail", name="Portail Famille", kind="saas")
    Unit.objects.create(workspace=workspace, slug="enfance", name="Direction de l'enfance")
    Service.objects.create(workspace=workspace, slug="cantine", name="Restauration scolaire")
    normalizer = Normalizer(Names(workspace.id))
    source = field("flows", "from")
    assert normalizer.convert(source, "Portail Famille").value == "portail"
    assert normalizer.convert(source, "Direction de l'enfance").value == "unit:enfance"
    assert normalizer.convert(source, "unit:Direction de l'enfance").value == "unit:enfance"
    about = field("documents", "about")
    assert normalizer.convert(about, "service:Restauration scolaire; applications:portail").value == [
        "service:cantine", "application:portail"]
    with pytest.raises(Unreadable, match="TYPE:SLUG"):
        normalizer.convert(about, "cantine")
