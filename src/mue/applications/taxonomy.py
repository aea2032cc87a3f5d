"""The shipped taxonomy of application categories (``categories.yaml``), in French and English."""

from functools import cache
from pathlib import Path

import yaml
from django.utils.translation import get_language

_FILE = Path(__file__).with_name("categories.yaml")


@cache
def categories() -> dict[str, dict[str, str]]:
    """Category slug -> {"fr": label, "en": label, "group": ...}, in file order."""
    with _FILE.open(encoding="utf-8") as fh:
        return {item["slug"]: item for item in yaml.safe_load(fh)}


def category_choices() -> list[tuple[str, str]]:
    """Choices for forms and the schema, labelled in the active language."""
    lang = "fr" if (get_language() or "fr").startswith("fr") else "en"
    return [(slug, item[lang]) for slug, item in categories().items()]
