"""Software licences: the SPDX License List, and the many ways a spreadsheet writes a licence.

An application's licence is stored as an SPDX identifier or expression (``GPL-3.0-or-later``,
``MIT OR Apache-2.0``, ``LicenseRef-Editeur`` for a licence outside the list); whether it is open
source is derived from it (:func:`openness`). The list is shipped as data (``data/spdx-*.json``,
SPDX License List 3.27, CC0-1.0; see ``data/README.md``): nothing is fetched at run time.

:func:`read_licence` recognises what real files hold: identifiers in any case, deprecated ones
(``GPL-2.0`` is ``GPL-2.0-only``, ``LGPL-2.1+`` is ``LGPL-2.1-or-later``), full names ("Apache
License, Version 2.0"), and the usual shorthands ("GPLv3", "GPL v2+", "AGPL 3 ou ultérieure",
"BSD 3 clauses", "CeCILL v2.1", "Licence Ouverte / Etalab"). A name without a version ("GPL",
"CeCILL") says the software is open source but not which licence: :attr:`Reading.family`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db import models

_DATA = Path(__file__).with_name("data")

#: Open licences that are neither OSI approved nor FSF free in the list: the French State's
#: "Licence Ouverte / Open Licence" 2.0, which public bodies use for their data and software
#: (décret n° 2017-638, art. D. 323-2-1 of the Code des relations entre le public et l'administration).
ALSO_OPEN = frozenset({"etalab-2.0"})

#: Names of a licence family without its version: open source, licence unknown.
FAMILIES = ("gpl", "gnu gpl", "lgpl", "gnu lgpl", "agpl", "gnu agpl", "bsd", "mpl", "apache", "eupl", "cecill",
            "epl", "eclipse", "mozilla", "creative commons", "cc by", "cc by sa", "artistic", "gnu")

#: Common ways of writing a licence that its SPDX name and identifier do not give.
ALIASES = {
    "etalab-2.0": ("licence ouverte", "licence ouverte etalab", "licence ouverte / etalab", "etalab", "open licence",
                   "licence ouverte 2.0", "licence ouverte v2.0", "lo 2.0", "open licence 2.0", "etalab open licence",
                   "licence ouverte / open licence", "licence ouverte / open licence 2.0"),
    "BSD-3-Clause": ("new bsd", "modified bsd", "revised bsd", "bsd 3", "bsd new"),
    "BSD-2-Clause": ("simplified bsd", "freebsd", "bsd 2"),
    "MIT": ("expat", "mit x11"),
    "CC0-1.0": ("cc0", "cc zero", "creative commons zero"),
    "Unlicense": ("unlicense",),
    "Apache-2.0": ("asl 2.0", "apache software license 2.0", "al 2.0"),
    "MPL-2.0": ("mozilla 2.0",),
    "EPL-2.0": ("eclipse 2.0",),
    "EUPL-1.2": ("eupl 1.2", "licence publique de l'union europeenne 1.2"),
}

_LICENSE_REF = re.compile(r"^(?:DocumentRef-[A-Za-z0-9.\-]+:)?LicenseRef-[A-Za-z0-9.\-]+$")
_OPERATOR = re.compile(r"\s+(AND|OR|WITH)\s+|\s*([()])\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Licence:
    """One entry of the SPDX License List."""

    id: str
    name: str
    osi_approved: bool
    fsf_libre: bool
    deprecated: bool

    @property
    def is_open(self) -> bool:
        return self.osi_approved or self.fsf_libre or self.id in ALSO_OPEN


@dataclass(frozen=True)
class Reading:
    """What a written licence was read as: an SPDX expression, or only a family ("GPL")."""

    expression: str | None  # canonical SPDX identifier or expression; None for a family
    family: str | None = None  # the family named, when no version was given

    @property
    def is_open(self) -> bool | None:
        return True if self.family else openness_of(self.expression)


@cache
def licences() -> dict[str, Licence]:
    """Every licence of the shipped SPDX list by identifier, deprecated ones included."""
    with (_DATA / "spdx-licenses.json").open(encoding="utf-8") as fh:
        data = json.load(fh)["licenses"]
    return {item["licenseId"]: Licence(item["licenseId"], item["name"], bool(item.get("isOsiApproved")),
                                       bool(item.get("isFsfLibre")), bool(item.get("isDeprecatedLicenseId")))
            for item in data}


@cache
def exceptions() -> dict[str, str]:
    """Licence exceptions (the part after ``WITH``): lower-case identifier -> identifier."""
    with (_DATA / "spdx-exceptions.json").open(encoding="utf-8") as fh:
        data = json.load(fh)["exceptions"]
    return {item["licenseExceptionId"].lower(): item["licenseExceptionId"] for item in data}


def list_version() -> str:
    with (_DATA / "spdx-licenses.json").open(encoding="utf-8") as fh:
        return json.load(fh)["licenseListVersion"]


_LATER = re.compile(r"\+|\b(?:or|ou|et)[\s-]+(?:later|ulterieures?|plus recentes?|superieures?)\b|\bor-later\b")
_ONLY = re.compile(r"\b(?:seulement|uniquement|only)\b")
_DROP = re.compile(r"\b(?:licen[cs]es?|licensed|licencia|version|the|gnu|la|le|du|des|agreement)\b")


def key(text: str) -> str:
    """A licence as written, reduced so its variants meet: "GPLv3+" and "GPL-3.0-or-later" -> "gpl 3.0 or later"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    ascii_text = _LATER.sub(" orlater ", ascii_text)
    ascii_text = _ONLY.sub(" only ", ascii_text)
    ascii_text = _DROP.sub(" ", ascii_text)
    ascii_text = re.sub(r"(?:\b|(?<=[a-z]))v(?=\d)", " ", ascii_text)  # v3, GPLv3 -> 3
    ascii_text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", ascii_text)  # gpl3 -> gpl 3
    tokens = []
    for token in re.split(r"[^a-z0-9.]+", ascii_text):
        token = token.strip(".")
        if not token:
            continue
        if token.isdigit():
            token += ".0"  # "GPL 3" and "GPL-3.0"
        elif token == "clauses":
            token = "clause"
        elif token == "orlater":
            token = "or later"
        tokens.append(token)
    return " ".join(tokens)


def _current(licence_id: str) -> str:
    """A deprecated identifier's replacement: GPL-2.0 -> GPL-2.0-only, GPL-2.0+ -> GPL-2.0-or-later."""
    known = licences()
    if not known[licence_id].deprecated:
        return licence_id
    base = licence_id.removesuffix("+")
    candidates = [f"{base}-or-later"] if licence_id.endswith("+") else [f"{base}-only"]
    name = known[licence_id].name
    candidates += [other.id for other in known.values() if not other.deprecated and other.name == name]
    return next((c for c in candidates if c in known and not known[c].deprecated), licence_id)


@cache
def _index() -> dict[str, frozenset[str]]:
    """Reduced identifier, name or alias -> the current identifiers it may mean."""
    index: dict[str, set[str]] = {}
    for licence in licences().values():
        target = _current(licence.id)
        for word in (licence.id, licence.name):
            index.setdefault(key(word), set()).add(target)
    for target, words in ALIASES.items():
        for word in words:
            index.setdefault(key(word), set()).add(target)
    return {word: frozenset(ids) for word, ids in index.items()}


@cache
def _families() -> frozenset[str]:
    return frozenset(key(word) for word in FAMILIES)


def _one(text: str) -> Reading | None:
    """A single licence (no operator) -> its reading, or None when it is no licence known."""
    text = text.strip()
    if text in licences():
        return Reading(_current(text))
    if _LICENSE_REF.match(text):
        return Reading(text)
    folded = text.casefold()
    for licence_id in licences():
        if licence_id.casefold() == folded:
            return Reading(_current(licence_id))
    reduced = key(text)
    found = _index().get(reduced, frozenset())
    if len(found) == 1:
        return Reading(next(iter(found)))
    if not found and reduced in _families():
        return Reading(None, family=text)
    return None


def read_licence(text: str) -> Reading | None:
    """What ``text`` says as a licence: an SPDX expression, a family, or None when it is no licence.

    Expressions combine licences with AND, OR, WITH (an exception) and parentheses; every part must
    be known for the expression to be read. A family cannot be part of an expression.
    """
    text = " ".join(str(text).split())
    if not text:
        return None
    whole = _one(text)  # a name may hold "or" itself: 'BSD 3-Clause "New" or "Revised" License'
    if whole is not None or not _OPERATOR.search(text):
        return whole
    text = re.sub(r"\s+or\s+later\b", "-or-later", text, flags=re.IGNORECASE)  # "GPL v3 or later"
    if not _OPERATOR.search(text):
        return _one(text)
    parts = [p for p in _OPERATOR.split(text) if p]
    out: list[str] = []
    after_with = False
    for part in parts:
        upper = part.upper()
        if upper in ("AND", "OR", "WITH"):
            out.append(upper)
            after_with = upper == "WITH"
            continue
        if part in "()":
            out.append(part)
            continue
        if after_with:
            exception = exceptions().get(part.strip().casefold())
            if exception is None:
                return None
            out.append(exception)
            after_with = False
            continue
        reading = _one(part)
        if reading is None or reading.expression is None:
            return None
        out.append(reading.expression)
    expression = " ".join(out).replace("( ", "(").replace(" )", ")")
    return Reading(expression)


def openness_of(expression: str | None) -> bool | None:
    """True when an SPDX expression is open source, False when not, None when it cannot be told.

    ``A OR B`` is open when one of them is (the user may choose it), ``A AND B`` when both are; an
    exception (``WITH``) only adds permissions. A ``LicenseRef-`` licence is unknown.
    """
    if not expression:
        return None
    tokens = [t for t in _OPERATOR.split(expression) if t and t.strip()]
    values: list[bool | None] = []
    operators: list[str] = []
    skip_next = False
    # Left to right, AND before OR, parentheses ignored beyond that precedence: the common forms
    # ("A OR B", "A AND B", "A WITH E", "(A OR B) AND C") come out right.
    for token in tokens:
        upper = token.upper()
        if skip_next:
            skip_next = False
            continue
        if upper == "WITH":
            skip_next = True
            continue
        if upper in ("AND", "OR"):
            operators.append(upper)
            continue
        if token in "()":
            continue
        licence = licences().get(token)
        values.append(licence.is_open if licence else None)
    if not values:
        return None
    groups: list[list[bool | None]] = [[values[0]]]
    for operator, value in zip(operators, values[1:], strict=False):
        if operator == "AND":
            groups[-1].append(value)
        else:
            groups.append([value])

    def all_of(group: list[bool | None]) -> bool | None:
        if any(v is False for v in group):
            return False
        return None if any(v is None for v in group) else True

    results = [all_of(group) for group in groups]
    if any(r is True for r in results):
        return True
    return None if any(r is None for r in results) else False


def openness(expression: str | None) -> str:
    """"open", "proprietary" or "" (not known) for a stored licence."""
    value = openness_of(expression)
    return "" if value is None else ("open" if value else "proprietary")


def validate_licence(value: str) -> None:
    """A stored licence is an SPDX identifier or expression of the list, or a ``LicenseRef-``."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if not value:
        return
    reading = read_licence(value)
    if reading is None:
        raise ValidationError(_("%(value)s is not a licence of the SPDX list: give its identifier (GPL-3.0-or-later, "
                                "MIT, Apache-2.0, EUPL-1.2, etalab-2.0...) or LicenseRef-NAME for another licence"),
                              params={"value": value[:80]}, code="licence")
    if reading.expression is None:
        raise ValidationError(_("%(value)s names a licence family, not its version: give its SPDX identifier "
                                "(GPL-2.0-only, GPL-3.0-or-later...)"), params={"value": value[:80]}, code="licence")


class LicenceField(models.CharField):
    """An SPDX licence identifier or expression: what is written is stored in its SPDX form ("GPLv3" ->
    "GPL-3.0-only") and anything else is refused (:func:`validate_licence`)."""

    default_validators = [validate_licence]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str) and value.strip():
            reading = read_licence(value)
            if reading is not None and reading.expression:
                return reading.expression
        return value
