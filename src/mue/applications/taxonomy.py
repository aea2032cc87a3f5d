"""The shipped taxonomy of application categories (``categories.yaml``), in French and English."""

from functools import cache
from pathlib import Path

import yaml
from django.utils.functional import lazy
from django.utils.translation import get_language

_FILE = Path(__file__).with_name("categories.yaml")


@cache
def categories() -> dict[str, dict[str, str]]:
    """Category slug -> {"fr": label, "en": label, "group": ...}, in file order."""
    with _FILE.open(encoding="utf-8") as fh:
        return {item["slug"]: item for item in yaml.safe_load(fh)}


def category_label(slug: str) -> str:
    """A category's label in the active language (French for fr*, English otherwise)."""
    lang = "fr" if (get_language() or "fr").startswith("fr") else "en"
    item = categories().get(slug)
    return item[lang] if item else slug


_lazy_label = lazy(category_label, str)


def category_choices() -> list[tuple[str, str]]:
    """Choices of the category field: stored values never depend on the language, labels follow it."""
    return [(slug, _lazy_label(slug)) for slug in categories()]
