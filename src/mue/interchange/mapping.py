"""Column mappings: how a client's spreadsheet is read (the file ``mue import --mapping`` reads).

A mapping is a small YAML document, the same whether it is a file beside the spreadsheet or saved
under a name in a workspace from the import page::

    type: applications
    columns: {Nom du logiciel: name, Commentaire: "-"}   # header -> field ("-": ignored)
    values: {status: {R: approved}}                      # per field: the client's word -> value
    defaults: {tags: [inventaire-2025]}                  # for rows where the cell is empty
    slug: "{name}-{version}"                             # a row's identity (or a column: slug: Code)
    on_duplicate: merge                                  # rows sharing it: error | first | last | merge
    skip_if: {Statut: [Retiré, Archivé]}                 # rows left out

:func:`check_mapping` checks the shape and names every key that is wrong; what the keys mean for a
sheet is applied by :mod:`mue.interchange.tabular` and :mod:`mue.interchange.identity`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext, gettext_lazy

from mue.core.inputs import InputRejected, read_bytes
from mue.interchange.problems import ImportFailed, Problem, rejected
from mue.interchange.sources import load_structured

IGNORE = "-"  # a column mapped to "-" is skipped
MAPPING_KEYS = ("type", "columns", "values", "defaults", "slug", "on_duplicate", "skip_if")
#: What to do with rows of a sheet that share one identity (slug).
ON_DUPLICATE = {
    "error": gettext_lazy("report them as problems (nothing imported)"),
    "first": gettext_lazy("keep the first row, leave the others out"),
    "last": gettext_lazy("keep the last row, leave the others out"),
    "merge": gettext_lazy("merge them into one object"),
}
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def empty_mapping() -> dict[str, Any]:
    return {"type": None, "columns": {}, "values": {}, "defaults": {}, "slug": None, "on_duplicate": "error",
            "skip_if": {}}


def load_mapping(path: Path) -> dict[str, Any]:
    """A saved column mapping (YAML file), checked."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed([Problem(path.name, (0,), "", "", gettext("mapping file not found"))])
    try:
        data = read_bytes(path, "mapping")  # within the size limit of a mapping file
    except InputRejected as exc:
        raise rejected(path.name, exc) from None
    return parse_mapping(data, path.name)


def parse_mapping(data: bytes, source: str = "mapping") -> dict[str, Any]:
    """A mapping from YAML (or JSON) bytes, read with the bounds of every map file, then checked."""
    document, _locate = load_structured(data, source, "yaml")
    return check_mapping(document, source)


def check_mapping(document: Any, source: str = "mapping") -> dict[str, Any]:
    """Check a mapping's shape; raise :class:`ImportFailed` naming what is wrong. Missing keys get defaults."""
    problems = []

    def bad(key: str, message: str) -> None:
        problems.append(Problem(source, (0,), "", key, message))

    if not isinstance(document, dict):
        raise ImportFailed([Problem(source, (0,), "", "", gettext("a mapping file holds %(keys)s")
                                    % {"keys": ", ".join(MAPPING_KEYS)})])
    for key in document:
        if key not in MAPPING_KEYS:
            bad(str(key), gettext("unknown key (known: %(keys)s)") % {"keys": ", ".join(MAPPING_KEYS)})
    mapping = empty_mapping()
    mapping.update({k: v for k, v in document.items() if k in MAPPING_KEYS and v is not None})
    if mapping["type"] is not None and not isinstance(mapping["type"], str):
        bad("type", gettext("must be an object type name (applications, services...)"))
    for key in ("columns", "values", "defaults", "skip_if"):
        if not isinstance(mapping[key], dict):
            bad(key, gettext("must be a mapping"))
    if isinstance(mapping["columns"], dict):
        mapping["columns"] = {str(k): IGNORE if v is None else v for k, v in mapping["columns"].items()}
        for header, target in mapping["columns"].items():
            if not isinstance(target, str):
                bad("columns", gettext("column %(header)s: the field must be text") % {"header": repr(header)})
    if isinstance(mapping["values"], dict):
        for key, table in mapping["values"].items():
            if not isinstance(table, dict):
                bad("values", gettext("%(field)s: must map source values to values") % {"field": key})
    if mapping["slug"] is not None:
        if not isinstance(mapping["slug"], str) or not mapping["slug"].strip():
            bad("slug", gettext('must be a column name (slug: Code) or a pattern of columns '
                                '(slug: "{name}-{version}")'))
        elif "{" in mapping["slug"] and not PLACEHOLDER.search(mapping["slug"]):
            bad("slug", gettext("a pattern names its columns in braces: \"{name}-{version}\""))
    if mapping["on_duplicate"] not in ON_DUPLICATE:
        bad("on_duplicate", gettext("must be one of %(choices)s") % {"choices": ", ".join(ON_DUPLICATE)})
    if isinstance(mapping["skip_if"], dict):
        mapping["skip_if"] = {str(k): v if isinstance(v, list) else [v] for k, v in mapping["skip_if"].items()}
        for column, values in mapping["skip_if"].items():
            if any(isinstance(v, dict | list) for v in values):
                bad("skip_if", gettext("column %(header)s: give a value or a list of values")
                    % {"header": repr(column)})
    if problems:
        raise ImportFailed(problems)
    return mapping


def dump_mapping(mapping: dict[str, Any]) -> str:
    """The mapping as the YAML file the CLI reads, without the keys left at their defaults."""
    out: dict[str, Any] = {}
    for key in MAPPING_KEYS:
        value = mapping.get(key)
        if value in (None, {}, []) or (key == "on_duplicate" and value == "error"):
            continue
        if key == "skip_if":
            value = {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in value.items()}
        out[key] = value
    return yaml.safe_dump(out, allow_unicode=True, sort_keys=False, default_flow_style=False)


__all__ = ["IGNORE", "MAPPING_KEYS", "ON_DUPLICATE", "check_mapping", "dump_mapping", "empty_mapping",
           "load_mapping", "parse_mapping"]
