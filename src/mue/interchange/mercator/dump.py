"""The rows of a SQL dump, read without a database: MySQL/MariaDB ``mysqldump`` and PostgreSQL ``pg_dump``.

Only data statements are read: ``INSERT INTO table (columns) VALUES (...), (...);`` (both dialects,
with or without a schema prefix and quotes) and PostgreSQL's ``COPY table (columns) FROM stdin;``
blocks. Everything else (DDL, ``SET``, comments, locks) is skipped. Nothing is executed: a dump is
text to read, never SQL to run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

_NAME = r'[`"]?(?:\w+[`"]?\.[`"]?)?(\w+)[`"]?'
_INSERT = re.compile(r"INSERT\s+INTO\s+" + _NAME + r"\s*\(([^)]*)\)\s*VALUES\s*", re.I)
_COPY = re.compile(r"^COPY\s+" + _NAME + r"\s*\(([^)]*)\)\s+FROM\s+stdin;\s*$", re.I | re.M)
# One value inside a VALUES tuple: a quoted string (MySQL backslash escapes or doubled quotes,
# PostgreSQL E'' strings), NULL, a number, TRUE/FALSE, or punctuation.
_TOKEN = re.compile(r"""\s*(?:
    (?P<string>[eE]?'(?:[^'\\]|\\.|'')*')
  | (?P<null>NULL\b)
  | (?P<bool>TRUE\b|FALSE\b)
  | (?P<number>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)
  | (?P<punct>[(),;])
)""", re.X | re.I | re.S)
_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "Z": "\x1a", "\\": "\\", "'": "'", '"': '"'}
_COPY_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "\\": "\\"}


class DumpError(ValueError):
    """A data statement that cannot be read; ``line`` is where it starts."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass
class Dump:
    """The rows of each table, as dicts by column name."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    dialect: str = "mysql"

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.tables.get(table, [])


def _unquote(token: str) -> str:
    body = token[2:-1] if token[0] in "eE" else token[1:-1]
    body = body.replace("''", "'")
    if "\\" not in body:
        return body
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.S)


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _columns(text: str) -> list[str]:
    return [c.strip().strip('`"') for c in text.split(",")]


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _read_values(text: str, start: int, table: str, columns: list[str], dump: Dump) -> int:
    """Read the tuples after ``VALUES`` from ``start``; return where the statement ends."""
    position, row, depth = start, [], 0
    while True:
        match = _TOKEN.match(text, position)
        if match is None:
            raise DumpError(f"table {table}: unreadable value near {text[position:position + 40]!r}",
                            _line_of(text, position))
        position = match.end()
        kind = match.lastgroup
        token = match.group(kind)
        if kind == "punct":
            if token == "(":
                depth, row = 1, []
            elif token == ")":
                if len(row) != len(columns):
                    raise DumpError(f"table {table}: a row has {len(row)} values for {len(columns)} columns",
                                    _line_of(text, position))
                dump.tables[table].append(dict(zip(columns, row, strict=True)))
                depth = 0
            elif token == ";" and depth == 0:
                return position
            continue
        if depth != 1:
            raise DumpError(f"table {table}: a value outside a row", _line_of(text, position))
        if kind == "string":
            row.append(_unquote(token))
        elif kind == "null":
            row.append(None)
        elif kind == "bool":
            row.append(token.upper() == "TRUE")
        else:
            row.append(_number(token))


def _copy_value(text: str) -> str | None:
    if text == r"\N":
        return None
    return re.sub(r"\\(.)", lambda m: _COPY_ESCAPES.get(m.group(1), m.group(1)), text)


def _read_copy(text: str, match: re.Match, dump: Dump) -> int:
    table, columns = match.group(1), _columns(match.group(2))
    end = text.find("\n\\.", match.end())
    if end < 0:
        raise DumpError(f"table {table}: COPY block without its closing \\.", _line_of(text, match.start()))
    for line in text[match.end():end].strip("\n").split("\n"):
        if not line:
            continue
        values = [_copy_value(v) for v in line.split("\t")]
        if len(values) != len(columns):
            raise DumpError(f"table {table}: a row has {len(values)} values for {len(columns)} columns",
                            _line_of(text, match.start()))
        dump.tables[table].append(dict(zip(columns, values, strict=True)))
    return end + 3


def read_dump(text: str) -> Dump:
    """Every row of every INSERT and COPY of ``text`` (see the module docstring)."""
    dump = Dump()
    dump.dialect = "postgresql" if ("pg_dump" in text[:4000] or "PostgreSQL database dump" in text[:4000]) \
        else "mysql"
    position = 0
    copy = _COPY.search(text)
    while True:
        insert = _INSERT.search(text, position)
        if copy is not None and copy.start() < position:  # searched again only once passed: no rescans
            copy = _COPY.search(text, position)
        if insert is None and copy is None:
            break
        if copy is not None and (insert is None or copy.start() < insert.start()):
            position = _read_copy(text, copy, dump)
        else:
            position = _read_values(text, insert.end(), insert.group(1), _columns(insert.group(2)), dump)
    return dump
