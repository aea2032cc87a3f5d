"""Each run-time dependency declared in pyproject.toml is used by the product; benchmark-only ones are in dev."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Distribution name -> the module the product imports (where they differ).
MODULES = {"django": "django", "django-ninja": "ninja", "pyyaml": "yaml", "dj-database-url": "dj_database_url",
           "psycopg": "psycopg", "django-tables2": "django_tables2", "django-filter": "django_filters",
           "django-htmx": "django_htmx", "django-axes": "axes", "python-docx": "docx"}
# Loaded by Django rather than imported: psycopg is the PostgreSQL driver (DATABASE_URL=postgres://...).
LOADED_BY_DJANGO = {"psycopg"}


def _declared(group: str | None = None) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = project["dependencies"] if group is None else project["optional-dependencies"][group]
    return [re.split(r"[\[<>=!~ ]", spec, maxsplit=1)[0].lower() for spec in specs]


def test_every_run_time_dependency_is_used_by_the_product():
    source = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "src" / "mue").rglob("*.py"))
    unused = []
    for name in _declared():
        module = MODULES.get(name, name.replace("-", "_"))
        imported = re.search(rf"^\s*(import|from) {re.escape(module)}\b", source, re.MULTILINE)
        named = re.search(rf"[\"']{re.escape(module)}[.\"']", source)  # INSTALLED_APPS, backends in settings
        if not (imported or named or name in LOADED_BY_DJANGO):
            unused.append(name)
    # django-ninja is the web API's framework (docs/architecture.md), arriving with the API's branch.
    assert [name for name in unused if name != "django-ninja"] == [], unused


def test_benchmark_only_libraries_are_development_dependencies():
    assert "scipy" not in _declared()
    assert "scipy" in _declared("dev")
    product = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "src" / "mue").rglob("*.py"))
    assert not re.search(r"^\s*(import|from) scipy\b", product, re.MULTILINE)
