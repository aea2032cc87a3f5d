"""Spreadsheet cells to map values: normalised where unambiguous, reported where not.

A client's spreadsheet says "Oui", "Approuvé", "SaaS", "France", "1,5" or names a vendor instead of
giving its slug. :class:`Normalizer` turns one cell into the value the map schema expects and says
what it did (a note such as ``'Approuvé' read as 'approved'``), or raises :class:`Unreadable` with a
message listing what would be accepted. Nothing here guesses between two readings: a value that
matches several choices or objects is a problem, never a coin toss.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext

from mue.applications.licences import LicenceField, read_licence
from mue.core.inputs import CellError, UncachedFormula, excerpt
from mue.core.registry import ENDPOINT_TYPES, MapField, registry
from mue.interchange.sources import slugify

# What a cell may say to clear a value (an empty cell leaves it unchanged).
CLEAR = frozenset({"-", "null"})
YES = frozenset({"oui", "yes", "true", "vrai", "x", "1", "o", "y"})
NO = frozenset({"non", "no", "false", "faux", "0", "n"})
UNKNOWN = frozenset({"inconnu", "unknown", "ne sait pas", "nsp", "?"})

# Common words for enumeration values, in French and English, beyond the values and their labels.
# Keyed by stored value; a synonym applies only to fields that have that value among their choices.
# A word listed under two values of one field is ambiguous on purpose ("hybride": SaaS or installed?).
SYNONYMS: dict[Any, tuple[str, ...]] = {
    # application kind
    "saas": ("cloud", "en ligne", "online", "hybride", "hybrid", "software as a service"),
    "on-premises": ("installé", "installe sur site", "sur site", "on-premise", "on premise", "on prem", "local",
                    "sur serveur", "hybride", "hybrid"),
    "custom": ("spécifique", "développement spécifique", "sur mesure", "maison", "in-house", "in house"),
    "desktop": ("logiciel de bureau", "client lourd", "poste de travail"),
    "mobile": ("application mobile", "appli mobile", "smartphone", "téléphone", "mobile phone"),
    # application status
    "approved": ("approuvé", "approuvée", "validé", "validée", "autorisé", "autorisée", "officiel", "valid"),
    "tolerated": ("toléré", "tolérée", "accepté", "acceptée"),
    "shadow": ("non autorisé", "non autorisée", "shadow", "shadow it", "non déclaré", "non déclarée"),
    "banned": ("interdit", "interdite", "bloqué", "bloquée", "proscrit", "forbidden", "blocked"),
    "retired": ("retiré", "retirée", "abandonné", "abandonnée", "décommissionné", "decommissioned"),
    # licence model
    "subscription": ("abonnement", "saas subscription", "souscription", "abonnement annuel", "abonnement mensuel",
                     "annual subscription", "monthly subscription"),
    "per-user": ("par utilisateur", "per seat", "par poste", "par agent", "licence", "license"),
    "perpetual": ("perpétuelle", "perpétuel", "licence perpétuelle", "perpetual", "perpetual license", "achat",
                  "licence", "license"),
    "open-source": ("libre", "logiciel libre", "open source", "opensource", "gpl", "agpl", "lgpl", "mit", "apache",
                    "bsd", "mpl", "eupl", "cecill"),
    "free": ("gratuit", "gratuite", "free", "freeware", "gratuiciel"),
    "included": ("inclus", "incluse", "compris", "comprise", "bundled"),
    "other": ("autre", "autres", "divers"),
    # data categories
    "public": ("publique",),
    "internal": ("interne",),
    "confidential": ("confidentiel", "confidentielle"),
    "none": ("aucune", "aucun", "pas de données personnelles", "no personal data"),
    "personal": ("personnelles", "données personnelles", "dcp", "personal"),
    "sensitive": ("sensibles", "données sensibles", "art 9", "article 9"),
    "criminal": ("pénales", "données pénales", "infractions", "art 10", "article 10"),
    # flows
    "realtime": ("temps réel", "en continu", "real-time", "continuous"),
    "hourly": ("horaire", "toutes les heures", "chaque heure"),
    "daily": ("quotidien", "quotidienne", "journalier", "journalière", "chaque jour", "tous les jours"),
    "weekly": ("hebdomadaire", "chaque semaine"),
    "monthly": ("mensuel", "mensuelle", "chaque mois"),
    "yearly": ("annuel", "annuelle", "chaque année", "annual"),
    "on-demand": ("à la demande", "ponctuel", "ponctuelle", "ad hoc"),
    "automated": ("automatique", "automatisé", "automatisée", "auto"),
    "manual": ("manuel", "manuelle", "à la main"),
    "smtp": ("mail", "email", "e-mail", "courriel"),
    "file-share": ("partage de fichiers", "partage réseau", "smb", "nfs", "cifs"),
    "usb": ("clé usb", "usb", "support amovible"),
    "paper": ("papier", "courrier"),
    # assets
    "server": ("serveur", "serveur physique"),
    "virtual-machine": ("machine virtuelle", "vm"),
    "cloud-resource": ("ressource cloud", "iaas", "paas"),
    "network-device": ("équipement réseau", "routeur", "switch", "commutateur", "pare-feu", "firewall", "borne wifi"),
    "workstation": ("poste de travail", "pc", "ordinateur", "ordinateur portable", "laptop", "desktop pc"),
    "iot-device": ("objet connecté", "iot", "capteur"),
    "storage": ("stockage", "nas", "san", "baie de stockage", "sauvegarde"),
    # parties, costs, documents
    "vendor": ("éditeur", "fournisseur", "prestataire", "supplier"),
    "partner": ("partenaire",),
    "public-body": ("organisme public", "administration", "collectivité", "public administration"),
    "citizens": ("usagers", "citoyens", "habitants", "public"),
    "licence": ("licence", "license", "licences"),
    "hosting": ("hébergement",),
    "support": ("maintenance", "support", "tma", "assistance"),
    "staff": ("personnel", "salaires", "ressources humaines"),
    "one-off": ("ponctuel", "ponctuelle", "investissement", "one off"),
    "procedure": ("procédure", "mode opératoire"),
    "backup-restore": ("sauvegarde", "restauration", "sauvegarde et restauration"),
    "continuity-plan": ("pca", "pra", "plan de continuité", "plan de reprise"),
    "contract": ("contrat",),
    "user-guide": ("guide utilisateur", "manuel utilisateur", "notice"),
    # lifecycle
    "run": ("en service", "en production", "production", "exploitation"),
    "retire": ("en retrait", "fin de vie", "à retirer"),
    "plan": ("projet", "envisagé", "planned"),
    "build": ("en construction", "en déploiement", "déploiement"),
    "design": ("conception",),
    "use": ("utilisation",),
    # currencies
    "EUR": ("€", "euro", "euros"),
    "USD": ("us$", "dollar us", "dollars us", "us dollar", "dollar", "dollars", "$"),
    "CAD": ("ca$", "dollar canadien", "canadian dollar", "dollar", "dollars", "$"),
    "CHF": ("franc suisse", "francs suisses", "swiss franc"),
    "GBP": ("£", "livre sterling", "livre", "pound"),
    # 1-4 levels (criticality, security needs)
    1: ("faible", "low", "bas", "basse"),
    2: ("moyen", "moyenne", "medium", "modéré", "modérée"),
    3: ("élevé", "élevée", "high", "fort", "forte", "important", "importante"),
    4: ("vital", "vitale", "critique", "critical", "très élevé", "very high", "maximal"),
}

# Every ISO 3166-1 country is known by its English and French names and its alpha-3 code
# (data/countries-*.json); these are further names people write for the countries met most.
COUNTRIES: dict[str, tuple[str, ...]] = {
    "FR": ("france", "république française"),
    "DE": ("allemagne", "germany", "deutschland"),
    "US": ("états-unis", "etats unis", "états-unis d'amérique", "united states", "united states of america", "usa",
           "us", "amérique"),
    "IE": ("irlande", "ireland"),
    "GB": ("royaume-uni", "united kingdom", "uk", "angleterre", "england", "grande-bretagne", "great britain"),
    "CH": ("suisse", "switzerland", "schweiz"),
    "BE": ("belgique", "belgium"),
    "NL": ("pays-bas", "netherlands", "hollande", "holland"),
    "LU": ("luxembourg",),
    "CA": ("canada",),
    "ES": ("espagne", "spain"),
    "IT": ("italie", "italy"),
    "PT": ("portugal",),
    "AT": ("autriche", "austria"),
    "PL": ("pologne", "poland"),
    "SE": ("suède", "sweden"),
    "FI": ("finlande", "finland"),
    "DK": ("danemark", "denmark"),
    "NO": ("norvège", "norway"),
    "CZ": ("tchéquie", "république tchèque", "czechia", "czech republic"),
    "RO": ("roumanie", "romania"),
    "GR": ("grèce", "greece"),
    "EE": ("estonie", "estonia"),
    "MC": ("monaco",),
    "IL": ("israël", "israel"),
    "IN": ("inde", "india"),
    "CN": ("chine", "china"),
    "JP": ("japon", "japan"),
    "KR": ("corée du sud", "south korea", "korea"),
    "SG": ("singapour", "singapore"),
    "AU": ("australie", "australia"),
    "BR": ("brésil", "brazil"),
    "MA": ("maroc", "morocco"),
    "TN": ("tunisie", "tunisia"),
    "RU": ("russie", "russia"),
    "UA": ("ukraine",),
}
# Words that name a region, not a country: reported, never guessed.
NOT_A_COUNTRY = frozenset({"europe", "ue", "eu", "union européenne", "european union", "monde", "world", "cloud",
                           "international", "multiple", "plusieurs"})

_SEPARATORS = re.compile(r"[\s_\-–—./'’,:;()]+")
_DATE_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")
_LEADING_LEVEL = re.compile(r"^(\d)\b")


class Unreadable(Exception):
    """A cell that cannot be read as the field's value; the message says what would be accepted."""


@dataclass(frozen=True)
class Converted:
    """A cell's value for the map document, and what was done to read it (None: nothing to report).

    ``also``: other fields the same cell gives (a licence model cell saying "GPL-3.0" gives the
    licence too); ``sets_field`` False when the cell gives only those.
    """

    value: Any
    note: str | None = None
    also: dict[str, Any] = field(default_factory=dict)
    sets_field: bool = True


def fold(text: Any) -> str:
    """Text for comparison: no accents, no case, punctuation and runs of spaces as one space."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return _SEPARATORS.sub(" ", ascii_text.casefold()).strip()


def _fold_symbol(text: str) -> str:
    """Like :func:`fold`, keeping symbols that are a whole value ("€", "$", "?")."""
    folded = fold(text)
    return folded or str(text).strip()


def _read_as(raw: Any, value: Any) -> str:
    return gettext("%(raw)s read as %(value)s") % {"raw": _show(raw), "value": _show(value)}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, str):
        return f"'{excerpt(value)}'"
    return excerpt(value)


# -- labels of enumerations ------------------------------------------------------------------------


@cache
def choice_labels(field: models.Field) -> dict[Any, dict[str, str]]:
    """Every choice value of a field -> {"fr": label, "en": label}."""
    labels: dict[Any, dict[str, str]] = {value: {} for value, _ in field.flatchoices}
    for lang in ("fr", "en"):
        with translation.override(lang):
            for value, label in field.flatchoices:
                labels[value][lang] = str(label)
    model = getattr(field, "model", None)  # a custom field's value has no model
    if model is not None and model._meta.label == "applications.Application" and field.name == "category":
        # The category taxonomy carries its own French labels (categories.yaml).
        from mue.applications.taxonomy import categories

        for slug, item in categories().items():
            if slug in labels:
                labels[slug] = {"fr": item["fr"], "en": item["en"]}
    return labels


@cache
def _choice_index(field: models.Field) -> dict[str, frozenset]:
    """Folded value, label or synonym -> the choice values it may mean."""
    index: dict[str, set] = defaultdict(set)
    for value, labels in choice_labels(field).items():
        words = [str(value), *labels.values(), *SYNONYMS.get(value, ())]
        for word in words:
            index[_fold_symbol(word)].add(value)
    return {word: frozenset(values) for word, values in index.items()}


def allowed_text(field: models.Field) -> str:
    labels = choice_labels(field)
    return ", ".join(f"{value} ({labels[value].get('en', value)})" if str(labels[value].get("en")) != str(value)
                     else str(value) for value in labels)


def is_country(field: models.Field | None) -> bool:
    return (isinstance(field, models.CharField) and field.max_length == 2 and not field.choices
            and field.name.endswith("country"))


_DATA = Path(__file__).with_name("data")


@cache
def country_codes() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes."""
    with (_DATA / "countries-codes.json").open(encoding="utf-8") as fh:
        return frozenset(row[0] for row in json.load(fh))


@cache
def _country_index() -> dict[str, frozenset[str]]:
    """Folded country name or alpha-3 code -> the alpha-2 codes it may mean (two: ambiguous, "Congo")."""
    index: dict[str, set[str]] = defaultdict(set)
    for language in ("en", "fr"):
        with (_DATA / f"countries-{language}.json").open(encoding="utf-8") as fh:
            for code, names in json.load(fh)["countries"].items():
                for name in [names] if isinstance(names, str) else names:
                    index[fold(name)].add(code)
    with (_DATA / "countries-codes.json").open(encoding="utf-8") as fh:
        for alpha2, alpha3, *_rest in json.load(fh):
            index[fold(alpha3)].add(alpha2)
    for code, names in COUNTRIES.items():
        for name in names:
            index[fold(name)].add(code)
    return {name: frozenset(codes) for name, codes in index.items()}


def is_licence(field: models.Field | None) -> bool:
    return isinstance(field, LicenceField)


# -- the normaliser ----------------------------------------------------------------------------------


class Names:
    """Slugs and names of the objects a reference may point to: in the database and in the file."""

    def __init__(self, workspace_id: int | None):
        self.workspace_id = workspace_id
        self._slugs: dict[str, set[str]] = {}
        self._names: dict[str, dict[str, set[str]]] = {}

    def _load(self, singular: str) -> None:
        if singular in self._slugs:
            return
        self._slugs[singular] = set()
        self._names[singular] = defaultdict(set)
        if self.workspace_id is not None:
            model = registry.by_singular(singular).model
            for slug, name in model.objects.filter(workspace_id=self.workspace_id).values_list("slug", "name"):
                self.add(singular, slug, name)

    def add(self, singular: str, slug: str, name: str | None) -> None:
        self._load(singular)
        self._slugs[singular].add(slug)
        if name:
            self._names[singular][fold(name)].add(slug)

    def has_slug(self, singular: str, slug: str) -> bool:
        self._load(singular)
        return slug in self._slugs[singular]

    def by_name(self, singular: str, name: str) -> set[str]:
        self._load(singular)
        return self._names[singular].get(fold(name), set())


class Normalizer:
    """Reads cells of one sheet; holds what references resolve against."""

    def __init__(self, names: Names):
        self.names = names

    def convert(self, mf: MapField, raw: Any) -> Converted:
        """The map value of a non-empty cell for the field ``mf``; raise :class:`Unreadable`."""
        if isinstance(raw, UncachedFormula):
            raise Unreadable(gettext("the cell holds a formula (%(formula)s) whose result the file does not keep: "
                                     "open the file in a spreadsheet program and save it, or replace the formula by "
                                     "its value") % {"formula": excerpt(raw.formula)})
        if isinstance(raw, CellError):
            raise Unreadable(gettext("the cell shows the error %(error)s (its formula failed): correct it or clear "
                                     "the cell") % {"error": excerpt(raw.code)})
        if isinstance(raw, str) and raw.strip().casefold() in CLEAR:
            return Converted([] if mf.kind in ("refs", "links") or mf.key == "tags" else None)
        if mf.kind == "ref":
            return self._reference(mf.target, _text(raw))
        if mf.kind == "refs":
            return self._references(mf.target, raw)
        if mf.kind == "endpoint":
            return self._endpoint(_text(raw))
        if mf.kind == "links":
            return self._links(raw)
        return self._value(mf.field, raw)

    # -- plain values ---------------------------------------------------------------------------

    def _value(self, field: models.Field, raw: Any) -> Converted:
        if field.choices:
            if licence_models(field):
                licence = _licence_in_model_column(field, raw)
                if licence is not None:
                    return licence
            return _choice(field, raw)
        if is_licence(field):
            return licence_value(raw)
        if isinstance(field, models.BooleanField):
            return _boolean(field, raw)
        if isinstance(field, models.DateField):
            return _date(raw)
        if isinstance(field, models.IntegerField):
            return _number(raw, integer=True)
        if isinstance(field, models.DecimalField):
            return _number(raw, integer=False)
        if isinstance(field, models.JSONField):  # tags
            tags = [t.strip() for t in re.split(r"[;,\n]", _text(raw)) if t.strip()]
            return Converted(tags)
        if is_country(field):
            return _country(raw)
        if field.name == "slug":
            text = _text(raw)
            slug = slugify(text)
            if not slug:
                raise Unreadable(gettext("%(raw)s gives no slug") % {"raw": _show(text)})
            return Converted(slug, None if slug == text else _read_as(text, slug))
        return Converted(_text(raw))

    # -- references -----------------------------------------------------------------------------

    def _reference(self, target: str, text: str) -> Converted:
        slug, note = self.resolve(target, text)
        return Converted(slug, note)

    def resolve(self, target: str, text: str) -> tuple[str, str | None]:
        """A reference given as slug or name -> (slug, note); raise when ambiguous or unknown."""
        if self.names.has_slug(target, text):
            return text, None
        matches = self.names.by_name(target, text)
        if len(matches) == 1:
            slug = next(iter(matches))
            return slug, _read_as(text, slug)
        label = registry.by_singular(target).label
        if len(matches) > 1:
            raise Unreadable(gettext("%(raw)s is ambiguous: several %(type)s have this name (%(slugs)s); give the slug")
                             % {"raw": _show(text), "type": label, "slugs": ", ".join(sorted(matches))})
        slug = slugify(text)
        if slug and slug != text and self.names.has_slug(target, slug):
            return slug, _read_as(text, slug)
        if slug == text:
            return text, None  # looks like a slug: the importer names it as an unknown reference
        raise Unreadable(gettext("no %(type)s has the slug or name %(raw)s") % {"type": label, "raw": _show(text)})

    def _references(self, target: str, raw: Any) -> Converted:
        parts = [p.strip() for p in re.split(r"[;\n]", _text(raw)) if p.strip()]
        slugs, notes, problems = [], [], []
        for part in parts:
            try:
                slug, note = self.resolve(target, part)
            except Unreadable as exc:
                problems.append(str(exc))
                continue
            if slug not in slugs:
                slugs.append(slug)
            if note:
                notes.append(note)
        if problems:
            raise Unreadable("; ".join(problems))
        return Converted(slugs, "; ".join(notes) or None)

    def _endpoint(self, text: str) -> Converted:
        """A flow end: an application, or unit:/party:/asset: followed by a slug or a name."""
        if ":" in text and text.split(":", 1)[0].strip().lower() in ENDPOINT_TYPES:
            kind, rest = (p.strip() for p in text.split(":", 1))
            slug, note = self.resolve(kind.lower(), rest)
            # The type written stays: a bare slug may name an application and a party at once.
            value = f"{kind.lower()}:{slug}"
            return Converted(value, _read_as(text, value) if note else None)
        found: dict[str, set[str]] = {}
        for kind in ENDPOINT_TYPES:
            slugs = {text} if self.names.has_slug(kind, text) else self.names.by_name(kind, text)
            if slugs:
                found[kind] = slugs
        candidates = [(kind, slug) for kind, slugs in found.items() for slug in slugs]
        if len(candidates) == 1:
            kind, slug = candidates[0]
            value = slug if kind == "application" else f"{kind}:{slug}"
            return Converted(value, None if value == text else _read_as(text, value))
        if len(candidates) > 1:
            options = ", ".join(sorted(f"{k}:{s}" for k, s in candidates))
            raise Unreadable(gettext("%(raw)s is ambiguous (%(options)s)") % {"raw": _show(text), "options": options})
        if slugify(text) == text:
            return Converted(text)  # the importer names the unknown reference
        raise Unreadable(gettext("%(raw)s is no application, unit, party or asset") % {"raw": _show(text)})

    def _links(self, raw: Any) -> Converted:
        """Documents' ``about``: TYPE:SLUG-or-NAME separated by ';' (TYPE singular or plural)."""
        values, notes, problems = [], [], []
        for part in (p.strip() for p in re.split(r"[;\n]", _text(raw))):
            if not part:
                continue
            kind, _sep, rest = part.partition(":")
            try:
                otype = registry.lookup(kind.strip().lower()) if rest else None
                if otype is None:
                    raise KeyError(kind)
            except KeyError:
                problems.append(gettext("%(raw)s: write TYPE:SLUG, e.g. service:cantine") % {"raw": _show(part)})
                continue
            try:
                slug, note = self.resolve(otype.singular, rest.strip())
            except Unreadable as exc:
                problems.append(str(exc))
                continue
            value = f"{otype.singular}:{slug}"
            values.append(value)
            if note or value != part:
                notes.append(_read_as(part, value))
        if problems:
            raise Unreadable("; ".join(problems))
        return Converted(values, "; ".join(notes) or None)


# -- cell readers ------------------------------------------------------------------------------------


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        raise Unreadable(gettext("a yes/no cell is not text here"))
    if isinstance(raw, dt.datetime | dt.date):
        return (raw.date() if isinstance(raw, dt.datetime) else raw).isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _kind_of(raw: Any) -> str:
    if isinstance(raw, bool):
        return gettext("a yes/no value")
    if isinstance(raw, dt.datetime | dt.date):
        return gettext("a date (%(date)s)") % {"date": _text(raw)}
    return _show(raw)


def _choice(field: models.Field, raw: Any) -> Converted:
    values = [value for value, _ in field.flatchoices]
    if isinstance(raw, bool) or isinstance(raw, dt.date | dt.datetime):
        raise Unreadable(gettext("%(raw)s is not an allowed value (allowed: %(allowed)s)")
                         % {"raw": _kind_of(raw), "allowed": allowed_text(field)})
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        number = int(raw) if float(raw).is_integer() else raw
        for candidate in (number, str(number)):
            if candidate in values:
                return Converted(candidate)
    text = _text(raw)
    if text in values:
        return Converted(text)
    matches = _choice_index(field).get(_fold_symbol(text), frozenset())
    if not matches and all(isinstance(v, int) for v in values):
        leading = _LEADING_LEVEL.match(text)  # "3 - élevé"
        if leading and int(leading.group(1)) in values:
            matches = frozenset({int(leading.group(1))})
    if len(matches) == 1:
        value = next(iter(matches))
        return Converted(value, _read_as(text, value))
    if len(matches) > 1:
        options = ", ".join(str(v) for v in values if v in matches)
        raise Unreadable(gettext("%(raw)s is ambiguous: it may mean %(options)s; write one of them")
                         % {"raw": _show(text), "options": options})
    raise Unreadable(gettext("%(raw)s is not an allowed value (allowed: %(allowed)s)")
                     % {"raw": _show(text), "allowed": allowed_text(field)})


def _boolean(field: models.Field, raw: Any) -> Converted:
    if isinstance(raw, bool):
        return Converted(raw)
    if isinstance(raw, int | float) and raw in (0, 1):
        return Converted(bool(raw), _read_as(raw, bool(raw)))
    if isinstance(raw, str):
        word = fold(raw) or raw.strip()
        if word in YES:
            return Converted(True, _read_as(raw.strip(), True))
        if word in NO:
            return Converted(False, _read_as(raw.strip(), False))
        if word in UNKNOWN and field.null:
            return Converted(None, gettext("%(raw)s read as unknown (empty)") % {"raw": _show(raw.strip())})
    raise Unreadable(gettext("%(raw)s is not yes or no (oui/non, yes/no, vrai/faux, x, 1/0)") % {"raw": _kind_of(raw)})


def _date(raw: Any) -> Converted:
    if isinstance(raw, dt.datetime):
        return Converted(raw.date().isoformat())
    if isinstance(raw, dt.date):
        return Converted(raw.isoformat())
    if isinstance(raw, bool):
        raise Unreadable(gettext("%(raw)s is not a date") % {"raw": _kind_of(raw)})
    if isinstance(raw, int | float):
        if 10000 <= raw < 80000:  # an Excel date serial that lost its date format
            from openpyxl.utils.datetime import from_excel

            value = from_excel(raw).date().isoformat()
            return Converted(value, _read_as(raw, value))
        raise Unreadable(gettext("%(raw)s is not a date (YYYY-MM-DD or DD/MM/YYYY)") % {"raw": _show(raw)})
    text = str(raw).strip()
    try:
        if match := _DATE_YMD.match(text):
            year, month, day = (int(g) for g in match.groups())
        elif match := _DATE_DMY.match(text):  # French order: day first
            day, month, year = (int(g) for g in match.groups())
            year += 2000 if year < 100 else 0
        else:
            raise ValueError(text)
        value = dt.date(year, month, day).isoformat()
    except ValueError:
        raise Unreadable(gettext("%(raw)s is not a date (YYYY-MM-DD or DD/MM/YYYY)") % {"raw": _show(text)}) from None
    return Converted(value, None if value == text else _read_as(text, value))


def _number(raw: Any, integer: bool) -> Converted:
    if isinstance(raw, bool) or isinstance(raw, dt.date | dt.datetime):
        raise Unreadable(gettext("%(raw)s is not a number") % {"raw": _kind_of(raw)})
    reworded = False
    if isinstance(raw, int | float):
        number = decimal.Decimal(str(raw))
    else:
        text = str(raw).strip()
        compact = re.sub(r"[\s\u00a0\u202f']|€|eur$", "", text, flags=re.IGNORECASE)
        if "," in compact and "." in compact:  # 1.234,50 or 1,234.50: the last one is the decimal mark
            thousands = "." if compact.rfind(",") > compact.rfind(".") else ","
            compact = compact.replace(thousands, "")
        if not _NUMBER.match(compact):
            raise Unreadable(gettext("%(raw)s is not a number") % {"raw": _show(text)})
        number = decimal.Decimal(compact.replace(",", "."))
        reworded = compact != text
    if integer:
        if number != number.to_integral_value():
            raise Unreadable(gettext("%(raw)s is not a whole number") % {"raw": _show(raw)})
        value: Any = int(number)
    else:
        value = int(number) if number == number.to_integral_value() else float(number)
    return Converted(value, _read_as(raw, value) if reworded else None)


def _country(raw: Any) -> Converted:
    text = _text(raw)
    if re.fullmatch(r"[A-Za-z]{2}", text) and fold(text) not in ("uk", "eu", "ue"):
        code = text.upper()
        if code in country_codes():
            return Converted(code, None if code == text else _read_as(text, code))
    folded = fold(text)
    codes = _country_index().get(folded, frozenset())
    if len(codes) == 1:
        code = next(iter(codes))
        return Converted(code, _read_as(text, code))
    if len(codes) > 1:
        raise Unreadable(gettext("%(raw)s may mean %(codes)s: give the country code")
                         % {"raw": _show(text), "codes": " or ".join(sorted(codes))})
    if folded in NOT_A_COUNTRY:
        raise Unreadable(gettext("%(raw)s is not one country: give the country code (FR, DE, IE...)")
                         % {"raw": _show(text)})
    raise Unreadable(gettext("%(raw)s is not a known country: give its ISO 3166 code (FR, DE, US...)")
                     % {"raw": _show(text)})


# -- licences ----------------------------------------------------------------------------------------


def licence_models(field: models.Field) -> bool:
    """The licence model field of applications (its open-source choice can come from a licence)."""
    return field.name == "licence_model" and any(value == "open-source" for value, _label in field.flatchoices)


def licence_value(raw: Any) -> Converted:
    """A licence cell -> its SPDX identifier or expression; a family alone ("GPL") or an unknown text is a problem."""
    text = _text(raw)
    reading = read_licence(text)
    if reading is None:
        raise Unreadable(gettext("%(raw)s is not a licence of the SPDX list: give its identifier (GPL-3.0-or-later, "
                                 "MIT, Apache-2.0, EUPL-1.2, etalab-2.0...) or LicenseRef-NAME for another licence")
                         % {"raw": _show(text)})
    if reading.expression is None:
        raise Unreadable(gettext("%(raw)s names a licence family, not its version: give its SPDX identifier "
                                 "(GPL-2.0-only, GPL-3.0-or-later, LGPL-2.1-or-later...)") % {"raw": _show(text)})
    return Converted(reading.expression, None if reading.expression == text else _read_as(text, reading.expression))


def _licence_in_model_column(field: models.Field, raw: Any) -> Converted | None:
    """A licence written where the licence model is asked ("GPLv3"): the model it implies, and the licence.

    None when the cell is no SPDX licence (then it is read as a licence model: "Abonnement").
    """
    if not isinstance(raw, str) or raw in {value for value, _label in field.flatchoices}:
        return None
    reading = read_licence(raw)
    if reading is None or reading.expression is None:
        return None  # a family ("GPL") is one of the open-source synonyms
    text = raw.strip()
    if reading.is_open:
        note = gettext("%(raw)s read as licence %(licence)s, licence model 'open-source'") % {
            "raw": _show(text), "licence": _show(reading.expression)}
        return Converted("open-source", note, also={"licence": reading.expression})
    note = gettext("%(raw)s read as licence %(licence)s (not an open-source licence); licence model left as it is") % {
        "raw": _show(text), "licence": _show(reading.expression)}
    return Converted(None, note, also={"licence": reading.expression}, sets_field=False)


# -- map documents ---------------------------------------------------------------------------------


@dataclass
class DocumentReading:
    """What :func:`normalize_document` changed (notes) and could not read (problems), by item path."""

    notes: list[str] = field(default_factory=list)
    problems: list[tuple[tuple, str]] = field(default_factory=list)


@cache
def _document_fields() -> dict[str, tuple[tuple[str, str], ...]]:
    """Per map key, the fields whose values are read as in spreadsheets: (field key, "country"|"licence"|"model")."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for otype in registry:
        found = []
        for mf in otype.fields:
            if mf.kind != "value" or mf.field is None:
                continue
            if is_country(mf.field):
                found.append((mf.key, "country"))
            elif is_licence(mf.field):
                found.append((mf.key, "licence"))
            elif mf.field.choices and licence_models(mf.field):
                found.append((mf.key, "model"))
        if found:
            out[otype.key] = tuple(found)
    return out


def normalize_document(document: dict[str, Any]) -> DocumentReading:
    """Read a map document's countries and licences the way a spreadsheet's are read, in place.

    A map file written by hand says "États-Unis" or "GPLv3" as a spreadsheet does: such a value
    becomes the ISO code or the SPDX identifier, with a note; one that cannot be read is a problem
    (and is taken out, so the schema does not report it a second time). Values already in their
    stored form are left alone at the cost of one look-up each.
    """
    reading = DocumentReading()
    noted: dict[tuple[str, str], list[str]] = {}
    workspace = document.get("workspace")
    if isinstance(workspace, dict) and isinstance(workspace.get("country"), str) and len(workspace["country"]) > 2:
        _read_value(workspace, "country", "country", ("workspace", "country"), reading, noted, "workspace")
    as_stored = _stored_forms()
    for key, targets in _document_fields().items():
        items = document.get(key)
        if not isinstance(items, list):
            continue
        label = registry[key].label
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            for name, kind in targets:
                value = item.get(name)
                if not isinstance(value, str) or not value or value in as_stored[kind]:
                    continue  # nothing to read: the value is in its stored form
                if kind == "country" and len(value) <= 2:
                    continue  # a code, as map files have always held it (the schema bounds its length)
                slug = item.get("slug")
                who = f"{label} '{excerpt(slug)}'" if isinstance(slug, str) else f"{key}[{index}]"
                _read_value(item, name, kind, (key, index, name), reading, noted, who)
    for (name, note), whom in noted.items():
        shown = ", ".join(whom[:5]) + (gettext(" and %(n)s more") % {"n": len(whom) - 5} if len(whom) > 5 else "")
        reading.notes.append(f"{shown}, '{name}': {note}")
    return reading


def _read_value(item: dict, name: str, kind: str, path: tuple, reading: DocumentReading,
                noted: dict[tuple[str, str], list[str]], who: str) -> None:
    value = item[name]
    try:
        if kind == "country":
            converted = _country(value)
        elif kind == "licence":
            converted = licence_value(value)  # a deprecated identifier gets its current one too
            if converted.value == value:
                return
        else:  # the licence model: a licence written there gives the licence too
            licence = _licence_in_model_column(_model_field(), value)
            if licence is None:
                return  # the schema names the allowed values
            if licence.sets_field:
                item[name] = licence.value
            else:
                del item[name]
            for other, other_value in licence.also.items():
                item.setdefault(other, other_value)
            noted.setdefault((name, licence.note or ""), []).append(who)
            return
    except Unreadable as exc:
        reading.problems.append((path, str(exc)))
        del item[name]
        return
    item[name] = converted.value
    if converted.note:
        noted.setdefault((name, converted.note), []).append(who)


@cache
def _stored_forms() -> dict[str, frozenset[str]]:
    """Per kind of value, the values already in their stored form (a set look-up, no reading)."""
    from mue.applications.licences import licences

    return {"country": country_codes(), "model": frozenset(v for v, _label in _model_field().flatchoices),
            "licence": frozenset(i for i, licence in licences().items() if not licence.deprecated)}


@cache
def _model_field() -> models.Field:
    from mue.applications.models import Application

    return Application._meta.get_field("licence_model")


# -- tags ------------------------------------------------------------------------------------------

_AND = re.compile(r"\s*&\s*|\b(?:et|and)\b")


def tag_key(tag: str) -> str:
    """Tags that are one tag for a person meet here: case, accents, punctuation and "&"/"et"/"and" aside."""
    return " ".join(_AND.sub(" & ", fold(tag)).split())


class TagSpellings:
    """The tags of the objects an import touches, to propose merging those spelled two ways.

    Fed type by type with the stored objects and the file's items (an item that gives its tags
    replaces the stored ones), so each object counts once, as it will be after the import.
    """

    def __init__(self) -> None:
        self.used: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))  # key -> spelling -> objects

    def add_type(self, otype, existing: dict[str, dict], items: list[tuple[int, dict]]) -> None:
        given = {item["slug"]: item["tags"] for _index, item in items
                 if isinstance(item.get("slug"), str) and isinstance(item.get("tags"), list)}
        for slug, row in existing.items():
            if slug not in given:
                self._add(row.get("tags"))
        for tags in given.values():
            self._add(tags)

    def _add(self, tags: Any) -> None:
        if not isinstance(tags, list):
            return
        for tag in set(t for t in tags if isinstance(t, str) and t.strip()):
            self.used[tag_key(tag)][tag] += 1

    def proposals(self) -> list[str]:
        """One note per tag written several ways, the most used spelling suggested."""
        notes = []
        for spellings in self.used.values():
            if len(spellings) < 2:
                continue
            ordered = sorted(spellings.items(), key=lambda item: (-item[1], item[0]))
            listed = ", ".join(f"'{excerpt(tag)}' ({count})" for tag, count in ordered[:6])
            notes.append(gettext("tags %(tags)s differ only by case, accents or '&'/'et'/'and': merge them into "
                                 "'%(tag)s'? (objects using each in brackets)")
                         % {"tags": listed, "tag": excerpt(ordered[0][0])})
        return notes
