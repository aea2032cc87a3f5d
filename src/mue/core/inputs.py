"""Bounded inputs: the one place where a file from outside is opened, and what it may cost bounded.

Every input Mue reads from a person — a map (YAML, JSON), a spreadsheet (CSV, XLSX), a column
mapping, a log file for discovery — comes in through here, from the command line, an upload page or
the API. Before its content is trusted, each kind is bounded:

- its **size on disk** (a maximum per kind), checked before a byte is read;
- **CSV**: the length of a line (a line with no end would be read whole into memory);
- **XLSX** (a zip of XML files): the size the archive says it unpacks to, and the number of
  cells read (a "zip bomb" is a small file that unpacks to gigabytes); XML entities are refused
  (defusedxml, used by openpyxl when installed);
- **JSON and YAML**: how deep values nest (a 200,000-deep ``[[[…]]]`` exhausts the C stack), and for
  YAML how far aliases expand (ten lines of nested ``&anchor``/``*alias`` — the "billion laughs" —
  stand for billions of values);
- **logs**: their size and the length of a line.

The limits are settings (``MUE_INPUT_LIMITS``, from ``MUE_MAX_*`` environment variables, see
docs/import.md). A rejected input raises :class:`InputRejected` with a message a person can act
on; messages quote at most a short :func:`excerpt` of a value.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import reprlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext

from mue.core.spreadsheet import unquote_csv_value


def _(message: str) -> str:
    """``gettext``, or the English message where Django is not set up (log readers run without it)."""
    return gettext(message) if settings.configured else message


MB = 1024 * 1024
KINDS = ("map", "mapping", "csv", "xlsx", "log")


@dataclass(frozen=True)
class Limits:
    """What one input may cost. Sizes in bytes; see ``MUE_INPUT_LIMITS`` in the settings."""

    map_bytes: int = 100 * MB  # a YAML or JSON map
    mapping_bytes: int = 1 * MB  # a column mapping (YAML)
    csv_bytes: int = 100 * MB
    xlsx_bytes: int = 50 * MB  # the file as stored (compressed)
    xlsx_unpacked_bytes: int = 500 * MB  # what its parts unpack to, all together
    xlsx_parts: int = 5000  # files inside the archive (a workbook has a few dozen)
    xlsx_cells: int = 2_000_000  # cells of the sheet read, empty cells within a row included
    log_bytes: int = 50 * 1024 * MB
    line_chars: int = 1_000_000  # a CSV record's line, a log line
    depth: int = 64  # nesting of JSON/YAML values (a map needs 5)
    alias_values: int = 10_000  # values YAML aliases may add by expansion
    excerpt_chars: int = 80  # of a value quoted in a message

    def size_for(self, kind: str) -> int:
        return getattr(self, f"{kind}_bytes")


#: Each limit's environment variable, and the unit it is given in (MB for sizes).
ENVIRONMENT = (
    ("map_bytes", "MUE_MAX_MAP_MB", MB), ("mapping_bytes", "MUE_MAX_MAPPING_MB", MB),
    ("csv_bytes", "MUE_MAX_CSV_MB", MB), ("xlsx_bytes", "MUE_MAX_XLSX_MB", MB),
    ("xlsx_unpacked_bytes", "MUE_MAX_XLSX_UNPACKED_MB", MB), ("xlsx_parts", "MUE_MAX_XLSX_PARTS", 1),
    ("xlsx_cells", "MUE_MAX_XLSX_CELLS", 1), ("log_bytes", "MUE_MAX_LOG_MB", MB),
    ("line_chars", "MUE_MAX_LINE_CHARS", 1), ("depth", "MUE_MAX_NESTING", 1),
    ("alias_values", "MUE_MAX_ALIAS_VALUES", 1),
)
#: The environment variable that sets each limit (named in messages, so an administrator knows).
SETTING = {key: variable for key, variable, _scale in ENVIRONMENT}


def limits_from_environment(environ: dict[str, str] | None = None) -> dict[str, int]:
    """The limits the ``MUE_MAX_*`` variables set (whole numbers; unset, empty or 0 keeps the default)."""
    import os

    environ = os.environ if environ is None else environ
    out = {}
    for key, variable, scale in ENVIRONMENT:
        value = environ.get(variable, "").strip()
        if not value:
            continue
        try:
            number = int(value)
        except ValueError:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"{variable}={value!r}: a whole number is expected") from None
        if number > 0:
            out[key] = number * scale
    return out


def limits() -> Limits:
    """The limits in force: the defaults, overridden by ``settings.MUE_INPUT_LIMITS`` (or the
    environment where Django is not set up, as in the log readers' processes)."""
    configured = (getattr(settings, "MUE_INPUT_LIMITS", None) if settings.configured
                  else limits_from_environment()) or {}
    known = {f.name for f in fields(Limits)}
    return Limits(**{key: int(value) for key, value in configured.items() if key in known})


class InputRejected(ValueError):
    """An input refused before (or while) it is read; nothing was written.

    ``line`` is the line (or row) concerned when there is one, for the message's location.
    """

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def _size_text(n: int) -> str:
    if n >= MB:
        return _("%(n)s MB") % {"n": f"{n / MB:,.1f}".removesuffix(".0")}
    if n >= 1024:
        return _("%(n)s KB") % {"n": f"{n // 1024:,}"}
    return _("%(n)s bytes") % {"n": f"{n:,}"}


def too_big(kind: str, size: int, limit: int) -> InputRejected:
    return InputRejected(_("the file is %(size)s; a %(kind)s file may be at most %(limit)s (setting %(setting)s)")
                         % {"size": _size_text(size), "kind": kind_label(kind), "limit": _size_text(limit),
                            "setting": SETTING[f"{kind}_bytes"]})


def kind_label(kind: str) -> str:
    return {"map": _("map"), "mapping": _("column mapping"), "csv": "CSV", "xlsx": "XLSX",
            "log": _("log")}.get(kind, kind)


def kind_of_format(fmt: str) -> str:
    """The input kind of a file format of :func:`mue.interchange.sources.format_of`."""
    # An ArchiMate model and a database dump are bounded as maps are: they become one.
    return "map" if fmt in ("yaml", "json", "archimate", "sql") else fmt


# -- reading bytes -----------------------------------------------------------------------------------

Source = Path | str | bytes | IO[bytes]


def read_bytes(source: Source, kind: str) -> bytes:
    """The content of a file, a path, an upload (Django ``UploadedFile``) or bytes, within its kind's size.

    The size is checked before reading where it is known (a path's, an upload's ``size``); a stream
    of unknown size is read up to one byte past the limit, never further.
    """
    limit = limits().size_for(kind)
    if isinstance(source, bytes):
        if len(source) > limit:
            raise too_big(kind, len(source), limit)
        return source
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            raise InputRejected(_("this is a directory, not a file"))
        size = path.stat().st_size
        if size > limit:
            raise too_big(kind, size, limit)
        with path.open("rb") as fh:
            return _read_at_most(fh, kind, limit)
    size = getattr(source, "size", None)
    if isinstance(size, int) and size > limit:
        raise too_big(kind, size, limit)
    if hasattr(source, "seek"):
        source.seek(0)
    return _read_at_most(source, kind, limit)


def _read_at_most(fh: IO[bytes], kind: str, limit: int) -> bytes:
    data = fh.read(limit + 1)  # a file that grew since stat, or a stream: never more than the limit
    if len(data) > limit:
        raise too_big(kind, len(data), limit)
    return data


def check_log(path: Path) -> None:
    """A log file given to discovery: a file, within the log size limit (before anything is read)."""
    path = Path(path)
    if path.is_dir():
        raise InputRejected(_("%(file)s is a directory, not a log file") % {"file": path})
    size = path.stat().st_size
    limit = limits().log_bytes
    if size > limit:
        raise InputRejected(f"{path.name}: {too_big('log', size, limit).message}")


def bounded_lines(stream: IO[str], max_chars: int | None = None) -> Iterator[str]:
    """The lines of a text stream, none longer than ``max_chars``: a longer line comes in pieces.

    ``for line in stream`` would hold a line with no end (a binary file, gigabytes of one
    character) whole in memory. Here each piece of such a line is given as a line of its own, so
    the reader counts it (as malformed, when it does not parse) and memory holds one piece. The
    iteration stays in C (``readline`` with a limit): as fast as iterating the stream.
    """
    return iter(functools.partial(stream.readline, max_chars or limits().line_chars), "")


# -- text ----------------------------------------------------------------------------------------------

_BOMS = (  # UTF-32 before UTF-16: FF FE 00 00 starts with FF FE
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", None),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def decode_text(data: bytes) -> tuple[str, str | None]:
    """Text from the bytes of a CSV file, and a note saying which encoding was read when not UTF-8.

    A byte-order mark says the encoding (UTF-8, UTF-16 as Excel's "Unicode text", UTF-32); without
    one, UTF-16 is recognised by its zero bytes, then UTF-8 is tried, then Windows-1252 (what French
    Excel writes as "CSV (séparateur: point-virgule)").
    """
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], encoding), (_("read as %(encoding)s (byte-order mark)")
                                                        % {"encoding": label} if label else None)
    head = data[:4096]
    if len(head) >= 4 and head.count(0) >= len(head) // 4:
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if odd > 3 * max(even, 1) // 2 or even > 3 * max(odd, 1) // 2:
            encoding = "utf-16-le" if odd > even else "utf-16-be"
            return _decode(data, encoding), _("read as UTF-16 (no byte-order mark)")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    note = _("not UTF-8: read as Windows-1252 (cp1252)")
    replaced = text.count("\ufffd")
    if replaced:
        note += _("; %(n)s byte(s) that Windows-1252 leaves undefined replaced") % {"n": replaced}
    return text, note


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputRejected(_("not valid %(encoding)s text (byte %(position)s): save it again as UTF-8")
                            % {"encoding": encoding.upper(), "position": exc.start}) from None


def first_lines(text: str, count: int, max_chars: int = 65536) -> list[str]:
    """The first ``count`` lines of ``text`` (without splitting all of it), within ``max_chars``."""
    lines: list[str] = []
    start = 0
    while len(lines) < count and start < len(text) and start < max_chars:
        end = text.find("\n", start, start + max_chars)
        lines.append(text[start:] if end < 0 else text[start:end])
        if end < 0:
            break
        start = end + 1
    return lines


def check_line_length(text: str, max_chars: int) -> None:
    """Refuse a text with a line longer than ``max_chars`` characters, without splitting it into lines.

    Windows of half the limit are looked at for a line end (one ``find`` each, no copy): a line over
    the limit holds at least one whole window, and only around such a window is a line measured.
    """
    window = max(max_chars // 2, 1)
    for start in range(0, len(text) - window + 1, window):
        if text.find("\n", start, start + window) >= 0:
            continue
        begin = text.rfind("\n", 0, start) + 1
        end = text.find("\n", start)
        if (len(text) if end < 0 else end) - begin > max_chars:
            line = text.count("\n", 0, begin) + 1
            raise InputRejected(_("a line is longer than %(limit)s characters (setting %(setting)s)")
                                % {"limit": f"{max_chars:,}", "setting": SETTING["line_chars"]}, line=line)


def csv_rows(data: bytes, notes: list[str]) -> list[tuple[int, list[Any]]]:
    """A CSV file's records as (row number, cells), encoding and delimiter detected, lines bounded.

    A note is added when the encoding is not UTF-8. Cells our exports neutralised against formula
    injection (``'=...``, see :mod:`mue.core.spreadsheet`) read back as written.
    """
    text, note = decode_text(data)
    if note:
        notes.append(note)
    max_chars = limits().line_chars
    check_line_length(text, max_chars)
    sample = "\n".join(first_lines(text, 20))
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        first = next((line for line in sample.splitlines() if line.strip()), "")
        delimiter = max(",;\t", key=first.count) if any(d in first for d in ",;\t") else ","
    # A quoted cell may hold line ends, so a record can be longer than one line: bound the cell too.
    csv.field_size_limit(max(max_chars, 131072))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [unquote_csv_value(c) for c in cells]))
    except csv.Error as exc:
        message = str(exc)
        if "field larger than field limit" in message:
            message = _("a cell is longer than %(limit)s characters (setting %(setting)s)") % {
                "limit": f"{max_chars:,}", "setting": SETTING["line_chars"]}
        else:
            message = _("malformed CSV: %(error)s") % {"error": message}
        raise InputRejected(message, line=reader.line_num) from None
    return rows


# -- XLSX ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UncachedFormula:
    """An XLSX cell holding a formula whose result the file does not keep.

    Files written by programs other than a spreadsheet (scripts, some exports) often hold formulas
    without their computed value; openpyxl reads such a cell as empty. It is kept as this marker so
    the importer reports it instead of losing the value.
    """

    formula: str

    def __str__(self) -> str:
        return self.formula


@dataclass(frozen=True)
class CellError:
    """An XLSX cell showing an error (``#N/A``, ``#REF!``): its formula failed, there is no value."""

    code: str

    def __str__(self) -> str:
        return self.code


def _parser_class():
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class CellParser(WorkSheetParser):
        """openpyxl's sheet parser, keeping formulas without a cached value and error cells visible."""

        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None:
                formula = element.find(FORMULA_TAG)
                cached = element.find(VALUE_TAG)
                # No result, or an empty one where only text may be empty ("<v/>", as scripts write it).
                if formula is not None and (cached is None or element.get("t", "n") not in ("str", "s", "inlineStr")):
                    cell["value"] = UncachedFormula("=" + (formula.text or ""))
            elif cell["data_type"] == "e" and cell["value"] is not None:
                cell["value"] = CellError(str(cell["value"]))
            return cell

    return CellParser


def _xlsx_failure(exc: BaseException, source: object = None) -> InputRejected:
    from defusedxml import DefusedXmlException

    cause: BaseException | None = exc
    while cause is not None:  # openpyxl wraps what its XML parser raised
        if isinstance(cause, DefusedXmlException):
            return InputRejected(_("not a readable XLSX file: it declares XML entities, which a workbook never "
                                   "needs and which are refused"))
        cause = cause.__cause__ or cause.__context__
    error = str(exc)
    if isinstance(source, Path):  # never show where the server keeps the file
        error = error.replace(str(source), source.name)
    return InputRejected(_("not a readable XLSX file (%(error)s)") % {"error": excerpt(error)})


_XLSX_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, SyntaxError, EOFError,
                TypeError, AttributeError, IndexError)


class XlsxBook:
    """An XLSX workbook opened within the limits; read one sheet's rows with :meth:`rows`.

    Use as a context manager. The archive is looked at before openpyxl opens it: how many parts,
    and what they unpack to (as the archive declares it; reading stops at the declared size).
    """

    def __init__(self, source: Path | bytes):
        self.limits = limits()
        if isinstance(source, bytes):
            size, self._source = len(source), io.BytesIO(source)
        else:
            self._source = Path(source)
            if self._source.is_dir():
                raise InputRejected(_("this is a directory, not a file"))
            size = self._source.stat().st_size
        if size > self.limits.xlsx_bytes:
            raise too_big("xlsx", size, self.limits.xlsx_bytes)
        self._check_archive()
        import openpyxl

        try:
            self.book = openpyxl.load_workbook(self._source, read_only=True, data_only=True)
        except _XLSX_ERRORS as exc:
            raise _xlsx_failure(exc, self._source) from None

    def _check_archive(self) -> None:
        try:
            with zipfile.ZipFile(self._source) as archive:
                parts = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise InputRejected(_("not a readable XLSX file (%(error)s)") % {"error": excerpt(str(exc))}) from None
        if len(parts) > self.limits.xlsx_parts:
            raise InputRejected(_("the archive holds %(count)s files; a workbook may hold at most %(limit)s "
                                  "(setting %(setting)s)") % {"count": f"{len(parts):,}",
                                                              "limit": f"{self.limits.xlsx_parts:,}",
                                                              "setting": SETTING["xlsx_parts"]})
        unpacked = sum(part.file_size for part in parts)
        if unpacked > self.limits.xlsx_unpacked_bytes:
            raise InputRejected(_("the workbook unpacks to %(size)s; at most %(limit)s is read (setting "
                                  "%(setting)s)") % {"size": _size_text(unpacked),
                                                     "limit": _size_text(self.limits.xlsx_unpacked_bytes),
                                                     "setting": SETTING["xlsx_unpacked_bytes"]})

    @property
    def titles(self) -> list[str]:
        return [sheet.title for sheet in self.book.worksheets]

    def rows(self, title: str) -> list[tuple[int, list[Any]]]:
        """The rows of a sheet as (row number, cell values), each as wide as its last cell.

        Formulas without a cached value are :class:`UncachedFormula`, error cells :class:`CellError`.
        Rows the file leaves out are not made up, so a sheet whose declared size is a million rows
        costs what its cells cost.
        """
        sheet = self.book[title]
        max_cells = self.limits.xlsx_cells
        parser_class = _parser_class()
        rows: list[tuple[int, list[Any]]] = []
        cells = 0
        try:
            with self.book._archive.open(sheet._worksheet_path) as source:
                parser = parser_class(source, sheet._shared_strings, data_only=True, epoch=self.book.epoch,
                                      date_formats=self.book._date_formats,
                                      timedelta_formats=self.book._timedelta_formats)
                for number, parsed in parser.parse():
                    if not parsed:
                        continue
                    width = max(cell["column"] for cell in parsed)
                    cells += width
                    if cells > max_cells:
                        raise InputRejected(_("the sheet '%(sheet)s' has more than %(limit)s cells (setting "
                                              "%(setting)s)") % {"sheet": excerpt(title), "limit": f"{max_cells:,}",
                                                                 "setting": SETTING["xlsx_cells"]}, line=number)
                    values: list[Any] = [None] * width
                    for cell in parsed:
                        values[cell["column"] - 1] = cell["value"]
                    rows.append((number, values))
        except InputRejected:
            raise
        except _XLSX_ERRORS as exc:
            raise _xlsx_failure(exc, self._source) from None
        return rows

    def close(self) -> None:
        self.book.close()

    def __enter__(self) -> XlsxBook:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


# -- structured documents (JSON, YAML) ----------------------------------------------------------------

_JSON_NOISE = bytes(range(256)).translate(None, b'[]{}"')
_JSON_STRING = re.compile(rb'"[^"]*"')


def check_json_depth(data: bytes, max_depth: int | None = None) -> None:
    """Refuse JSON whose values nest deeper than ``max_depth``, before it is parsed.

    Only brackets and quotes are kept (strings, whose brackets do not count, are cut out), then the
    innermost pairs are removed once per level: at most ``max_depth`` passes over a short text.
    """
    limit = max_depth or limits().depth
    structure = data.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _JSON_NOISE).replace(b'""', b"")
    if b'"' in structure:
        structure = _JSON_STRING.sub(b"", structure)
    if re.search(rb"[\[{]{%d}" % (limit + 1), structure):  # the usual bomb: a run of openings
        raise too_deep(limit)
    depth = 0
    while structure:
        if depth >= limit:
            raise too_deep(limit)
        # The innermost pairs of this level, marked first so that "{[]}" takes two passes, not one.
        shorter = structure.replace(b"[]", b"\0").replace(b"{}", b"\0").replace(b"\0", b"")
        if len(shorter) == len(structure):
            return  # unbalanced: the parser names the error
        structure = shorter
        depth += 1


def too_deep(limit: int) -> InputRejected:
    return InputRejected(_("values are nested more than %(limit)s levels deep (a map needs 5; setting %(setting)s)")
                         % {"limit": limit, "setting": SETTING["depth"]})


_CONTAINERS = (dict, list)
# An anchor (&name) where YAML allows one: at a line start, after a space, an indicator or a bracket.
YAML_ANCHOR = re.compile(r"(?:^|[\s\[{,:\-?])&[^\s\[\]{},]", re.M)


def check_tree(document: Any, *, shared: bool, max_depth: int | None = None,
               alias_values: int | None = None) -> None:
    """Refuse a parsed document nested too deep, or (``shared``: YAML with anchors) whose aliases expand too far.

    A YAML alias is the very object its anchor made, so the document is a graph: each container
    is measured once (its expanded size and height remembered), never walked once per alias. A
    document that contains itself (``&a [*a]``) is refused too.
    """
    bounds = limits()
    max_depth = max_depth or bounds.depth
    if not isinstance(document, _CONTAINERS):
        return
    if not shared:
        _check_depth(document, max_depth)
        return
    budget = alias_values if alias_values is not None else bounds.alias_values
    expanded, distinct, height = _measure(document)
    if height > max_depth:
        raise too_deep(max_depth)
    if expanded - distinct > budget:
        raise InputRejected(_("its aliases (*name) stand for %(expanded)s values, %(added)s more than written; at "
                              "most %(limit)s may be added that way (setting %(setting)s): write the values out")
                            % {"expanded": f"{expanded:,}", "added": f"{expanded - distinct:,}",
                               "limit": f"{budget:,}", "setting": SETTING["alias_values"]})


def _check_depth(document: Any, max_depth: int) -> None:
    stack = [(document, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, depth = pop()
        if depth > max_depth:
            raise too_deep(max_depth)
        for child in node.values() if type(node) is dict else node:
            if type(child) in _CONTAINERS:
                push((child, depth + 1))


def _measure(document: Any) -> tuple[int, int, int]:
    """(values counting each alias expanded, values as written, height) of a document graph."""
    sizes: dict[int, int] = {}
    heights: dict[int, int] = {}
    open_: set[int] = set()
    distinct = 0
    stack: list[tuple[Any, bool]] = [(document, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        children = list(node.values()) if type(node) is dict else node
        if finished:
            size, height = len(children), 0
            for child in children:
                if type(child) in _CONTAINERS:
                    size += sizes[id(child)]
                    height = max(height, heights[id(child)])
            sizes[key], heights[key] = size, height + 1
            distinct += len(children)
            open_.discard(key)
            continue
        if key in sizes:
            continue
        if key in open_:
            raise InputRejected(_("an alias (*name) refers to a value that contains it: the document would be "
                                  "infinite"))
        open_.add(key)
        stack.append((node, True))
        for child in children:
            if type(child) in _CONTAINERS and id(child) not in sizes:
                if id(child) in open_:
                    raise InputRejected(_("an alias (*name) refers to a value that contains it: the document "
                                          "would be infinite"))
                stack.append((child, False))
    return sizes[id(document)], distinct, heights[id(document)]


# -- messages ------------------------------------------------------------------------------------------


def excerpt(value: Any, max_chars: int | None = None) -> str:
    """A value as a message may quote it: at most ``max_chars`` characters, nested values cut short.

    Text is given as is (cut with "…" and its length); other values as a short ``repr`` that never
    walks more than a few levels or items, so a huge or self-referencing value costs nothing.
    """
    limit = max_chars or limits().excerpt_chars
    if isinstance(value, str):
        text = value
    else:
        short = reprlib.Repr()
        short.maxlevel, short.maxlist, short.maxdict, short.maxtuple, short.maxset = 3, 4, 4, 4, 4
        short.maxstring = short.maxother = short.maxlong = limit
        text = short.repr(value)
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 1)] + "…" + _(" (%(n)s characters)") % {"n": f"{len(text):,}"}
