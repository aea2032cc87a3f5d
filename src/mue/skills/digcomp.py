"""The DigComp 2.2 framework shipped as data (``digcomp.yaml``: source and licence are stated there).

Competences are named by their code ("4.1"); areas by theirs ("4"). Texts come in English and French
and follow the active language (French for ``fr`` and its variants, English otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils.functional import lazy
from django.utils.translation import get_language

DATA_FILE = Path(__file__).with_name("digcomp.yaml")
#: DigComp area 4, "Safety": the area SKL-004 looks at.
SAFETY_AREA = "4"
LEVELS = range(1, 9)


@dataclass(frozen=True)
class Text:
    en: str
    fr: str

    def __str__(self) -> str:
        return self.fr if (get_language() or "en").startswith("fr") else self.en


@dataclass(frozen=True)
class Competence:
    code: str
    area: str
    title: Text
    text: Text


@dataclass(frozen=True)
class Area:
    code: str
    title: Text
    competences: tuple[Competence, ...]


@dataclass(frozen=True)
class Level:
    level: int
    title: Text
    text: Text


@dataclass(frozen=True)
class Framework:
    name: str
    source: str
    licence: str
    areas: tuple[Area, ...]
    levels: tuple[Level, ...]

    @property
    def competences(self) -> tuple[Competence, ...]:
        return tuple(c for area in self.areas for c in area.competences)

    def competence(self, code: str) -> Competence:
        for competence in self.competences:
            if competence.code == code:
                return competence
        raise KeyError(code)

    def area(self, code: str) -> Area:
        for area in self.areas:
            if area.code == code:
                return area
        raise KeyError(code)


@cache
def framework() -> Framework:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    areas = tuple(
        Area(code=a["code"], title=Text(a["en"], a["fr"]), competences=tuple(
            Competence(code=c["code"], area=a["code"], title=Text(c["en"], c["fr"]),
                       text=Text(c["en_text"], c["fr_text"]))
            for c in a["competences"]))
        for a in data["areas"])
    levels = tuple(Level(level=lv["level"], title=Text(lv["en"], lv["fr"]), text=Text(lv["en_text"], lv["fr_text"]))
                   for lv in data["levels"])
    return Framework(name=data["framework"], source=data["source"], licence=data["licence"], areas=areas,
                     levels=levels)


def _competence_label(code: str) -> str:
    competence = framework().competence(code)
    return f"{code} {competence.title}"


def _level_label(level: int) -> str:
    return str(framework().levels[level - 1].title)


_lazy_competence = lazy(_competence_label, str)
_lazy_level = lazy(_level_label, str)


def competence_choices() -> list[tuple[str, str]]:
    """Choices of a competence field: "1.1" … "5.4", labelled in the active language."""
    return [(c.code, _lazy_competence(c.code)) for c in framework().competences]


def level_choices() -> list[tuple[int, str]]:
    return [(level, _lazy_level(level)) for level in LEVELS]
