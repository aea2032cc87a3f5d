"""Reading map-as-code files: YAML and JSON, and where each item sits in the file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import yaml
from django.utils.translation import gettext as _

from mue.interchange.problems import ImportFailed, Problem

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class MapLoader(_Loader):
    """A safe YAML loader where dates stay strings (the schema checks their form)."""


MapLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}

Locator = Callable[[tuple], tuple[tuple, str]]


def format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".json":
        return "json"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    raise ValueError(_("unknown file format '%(suffix)s' (expected .yaml, .json, .csv or .xlsx)") % {"suffix": suffix})


def path_label(path: tuple) -> str:
    """("applications", 3, "needs", "availability") -> "applications[3].needs.availability"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_structured(data: bytes, name: str, fmt: str) -> tuple[Any, Locator]:
    """Parse YAML or JSON; raise ImportFailed naming the line of a syntax error."""
    if fmt == "json":
        try:
            return orjson.loads(data), json_locator
        except orjson.JSONDecodeError as exc:
            line = data[: exc.pos].count(b"\n") + 1 if exc.pos is not None else 0
            raise ImportFailed(
                [
                    Problem(
                        name,
                        (line,),
                        _("line %(n)s") % {"n": line},
                        "",
                        _("malformed JSON: %(error)s") % {"error": exc.msg},
                    )
                ]
            ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ImportFailed([Problem(name, (0,), "", "", _("not UTF-8 text: %(error)s") % {"error": exc})]) from None
    try:
        document = yaml.load(text, Loader=MapLoader)  # noqa: S506 - MapLoader is a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportFailed(
            [
                Problem(
                    name,
                    (line,),
                    _("line %(n)s") % {"n": line},
                    "",
                    _("malformed YAML: %(error)s") % {"error": problem},
                )
            ]
        ) from None
    return document, YamlLines(text)


def json_locator(path: tuple) -> tuple[tuple, str]:
    """JSON has no cheap line numbers once parsed: name the item by its path instead."""
    item = path[:2]
    return (0, *[p if isinstance(p, int) else 0 for p in item]), path_label(item)


class YamlLines:
    """Line numbers of YAML nodes, computed only when an error needs them (a second, slower parse)."""

    def __init__(self, text: str):
        self.text = text
        self._lines: dict[tuple, int] | None = None

    def _index(self) -> dict[tuple, int]:
        lines: dict[tuple, int] = {}

        def walk(node, path):
            lines[path] = node.start_mark.line + 1
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    key = key_node.value
                    lines[(*path, key)] = key_node.start_mark.line + 1
                    walk(value_node, (*path, key))
            elif isinstance(node, yaml.SequenceNode):
                for i, child in enumerate(node.value):
                    walk(child, (*path, i))

        root = yaml.compose(self.text, Loader=MapLoader)
        if root is not None:
            walk(root, ())
        return lines

    def __call__(self, path: tuple) -> tuple[tuple, str]:
        if self._lines is None:
            self._lines = self._index()
        for cut in range(len(path), -1, -1):
            line = self._lines.get(tuple(path[:cut]))
            if line is not None:
                return (line,), _("line %(n)s") % {"n": line}
        return (0,), ""


_SLUG_CLEAN = re.compile(r"[^a-z0-9._-]+")


def slugify(text: str, max_length: int = 100) -> str:
    """A slug from any text: accents dropped, lower case, dashes ("Éditeur X" -> "editeur-x")."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = _SLUG_CLEAN.sub("-", ascii_text.lower()).strip("-._")
    if len(slug) > max_length:
        import hashlib

        digest = hashlib.sha1(slug.encode()).hexdigest()[:8]
        slug = slug[: max_length - 9].rstrip("-._") + "-" + digest
    return slug
