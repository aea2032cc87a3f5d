"""Reading map-as-code files: YAML and JSON, and where each item sits in the file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import yaml
from django.utils.translation import gettext as _

from mue.core.inputs import (
    YAML_ANCHOR,
    InputRejected,
    check_json_depth,
    check_tree,
    excerpt,
    kind_of_format,
    limits,
    read_bytes,
    too_deep,
)
from mue.interchange.problems import ImportFailed, Problem, rejected

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
    if suffix == ".xml":
        return "archimate"  # an ArchiMate Open Exchange file (mue.interchange.archimate)
    if suffix == ".sql":
        return "sql"  # a database dump (mue.interchange.mercator)
    raise ValueError(_("unknown file format '%(suffix)s' (expected .yaml, .json, .csv, .xlsx, an ArchiMate .xml "
                       "or a Mercator .sql dump)") % {"suffix": suffix})


def path_label(path: tuple) -> str:
    """("applications", 3, "needs", "availability") -> "applications[3].needs.availability"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _syntax_error(name: str, line: int, message: str) -> ImportFailed:
    """The failure of a file that does not parse, naming its line."""
    return ImportFailed([Problem(name, (line,), _("line %(n)s") % {"n": line}, "", message)])


def load_structured(data: bytes, name: str, fmt: str) -> tuple[Any, Locator]:
    """Parse YAML or JSON within the input limits; raise ImportFailed naming the line of a syntax error.

    Before the document is trusted, its nesting depth is bounded (JSON: before parsing; YAML: the
    parser's own bound, then ours) and so is what YAML aliases expand to (:mod:`mue.core.inputs`).
    """
    if fmt == "json":
        try:
            check_json_depth(data)
        except InputRejected as exc:
            raise rejected(name, exc) from None
        try:
            return orjson.loads(data), json_locator
        except orjson.JSONDecodeError as exc:
            line = data[: exc.pos].count(b"\n") + 1 if exc.pos is not None else 0
            raise _syntax_error(name, line, _("malformed JSON: %(error)s") % {"error": exc.msg}) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([Problem(name, (0,), "", "", _("not UTF-8 text: %(error)s") % {"error": exc})]) from None
    try:
        document = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 0
        problem = getattr(exc, "problem", None) or str(exc)
        if "nesting depth" in problem:  # libyaml's own bound, deeper than ours
            raise rejected(name, InputRejected(_too_deep_message(), line=line)) from None
        raise _syntax_error(name, line, _("malformed YAML: %(error)s") % {"error": excerpt(problem)}) from None
    except RecursionError:  # the pure-Python parser (no libyaml) on a deeply nested file
        raise rejected(name, InputRejected(_too_deep_message())) from None
    try:
        check_tree(document, shared=YAML_ANCHOR.search(text) is not None)
    except InputRejected as exc:
        raise rejected(name, exc) from None
    return document, YamlLines(text)


def _too_deep_message() -> str:
    return too_deep(limits().depth).message


def read_structured(source: Any, name: str, fmt: str, kind: str | None = None) -> tuple[Any, Locator]:
    """Read (within its size limit) and parse a map or mapping: a path, an upload or bytes."""
    try:
        data = read_bytes(source, kind or kind_of_format(fmt))
    except InputRejected as exc:
        raise rejected(name, exc) from None
    return load_structured(data, name, fmt)


#: Below this size a YAML file is parsed in one go; above, in parts (see :func:`load_yaml`).
PARTS_FROM_BYTES = 1 << 20
ITEMS_PER_PART = 1000
_COLUMN0 = re.compile(r"^(?=\S)", re.M)
_TOP_KEY = re.compile(r"[A-Za-z_][\w-]*:(?:[ \t\r\n]|$)")


def load_yaml(text: str) -> Any:
    """Parse a map file; large ones in parts, so memory holds one part's node tree, not the file's.

    PyYAML builds the node tree of a whole document before turning it into Python objects: for a
    large register (100k flows) that tree alone takes more than a gigabyte. A map file written in
    block style is split at its top-level keys and each top-level list into parts of
    ``ITEMS_PER_PART`` items, each parsed on its own; the result is the same document. Anything the
    split cannot be sure of (flow style at the top, directives, several documents, an alias to an
    anchor of another part) raises inside a part and falls back to one whole parse, which also gives
    the exact error and line of an invalid file.
    """
    if len(text) >= PARTS_FROM_BYTES:
        try:
            return _load_yaml_in_parts(text)
        except (yaml.YAMLError, _NotSplittable):
            pass
    return yaml.load(text, Loader=MapLoader)  # noqa: S506 - MapLoader is a SafeLoader


class _NotSplittable(Exception):
    pass


def _load_yaml_in_parts(text: str) -> dict[str, Any]:
    starts = [m.start() for m in _COLUMN0.finditer(text)]
    sections: list[tuple[int, int]] = []
    for start in starts:
        line_head = text[start:start + 1]
        if line_head == "#":
            continue
        if _TOP_KEY.match(text, start):
            sections.append((start, len(text)))
            if len(sections) > 1:
                sections[-2] = (sections[-2][0], start)
        elif line_head != "-" or not sections:  # a column-0 "- item" belongs to the section above
            raise _NotSplittable
    document: dict[str, Any] = {}
    for start, end in sections:
        document.update(_load_section(text[start:end]))
    return document


def _load_section(section: str) -> dict[str, Any]:
    head_end = section.find("\n")
    head, body = (section, "") if head_end < 0 else (section[:head_end], section[head_end + 1:])
    key = head.split(":", 1)[0]
    first = next((line for line in body.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    stripped = first.lstrip(" ")
    if head.split(":", 1)[1].split("#", 1)[0].strip() or not (stripped == "-" or stripped.startswith("- ")):
        return yaml.load(section, Loader=MapLoader)  # noqa: S506 - a scalar or a mapping: parse as is
    indent = " " * (len(first) - len(stripped))
    item_start = re.compile(rf"^{indent}-(?:[ \t]|$)", re.M)
    positions = [m.start() for m in item_start.finditer(body)]
    items: list[Any] = []
    for i in range(0, len(positions), ITEMS_PER_PART):
        end = positions[i + ITEMS_PER_PART] if i + ITEMS_PER_PART < len(positions) else len(body)
        part = yaml.load(body[positions[i]:end], Loader=MapLoader)  # noqa: S506
        if not isinstance(part, list):
            raise _NotSplittable
        items.extend(part)
    return {key: items}


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
