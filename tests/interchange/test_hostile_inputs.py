"""Hostile inputs: each shape is refused with a clear message, quickly, in little memory, writing nothing.

Time and memory are measured around the import call in this process: the time without tracing,
then the peak of Python allocations with ``tracemalloc`` and the growth of the process's maximum
resident size (``resource``), each against the issue's bound (2 s, 200 MB).
"""

from __future__ import annotations

import gc
import io
import re
import resource
import struct
import time
import tracemalloc
import zipfile
import zlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from mue.core.inputs import InputRejected, read_bytes
from mue.interchange.files import import_file
from mue.interchange.problems import ImportFailed
from tests.helpers import database_state

SECONDS = 2.0
MEGABYTES = 200


def _rejected(call) -> ImportFailed:
    try:
        call()
    except ImportFailed as exc:
        return exc
    raise AssertionError("the input was accepted")


def assert_refused_cheaply(call, *expected: str) -> ImportFailed:
    """``call`` raises ImportFailed naming ``expected``, within the time and memory bounds, writing nothing."""
    before = database_state()
    gc.collect()
    started = time.perf_counter()
    failure = _rejected(call)
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS, f"took {elapsed:.2f} s"
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    tracemalloc.start()
    try:
        _rejected(call)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert peak < MEGABYTES * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert grown < MEGABYTES * 1024, f"resident size grew by {grown / 1024:.0f} MB"
    text = "\n".join(str(p) for p in failure.problems)
    for word in expected:
        assert word in text, text
    assert all(len(p.message) <= 1000 for p in failure.problems)
    assert database_state() == before
    return failure


# -- YAML and JSON maps ------------------------------------------------------------------------------


def _laughs(levels: int = 9) -> str:
    lines = ["workspace: {slug: bomb, name: Bomb}", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghijk"[: levels - 1]:
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\n"


def test_billion_laughs_is_refused(db, tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(_laughs())
    assert len(path.read_text().splitlines()) == 10
    failure = assert_refused_cheaply(lambda: import_file(path), "aliases", "MUE_MAX_ALIAS_VALUES")
    assert "more than written" in failure.problems[0].message


def test_alias_bomb_in_one_field_gives_a_short_message(db, tmp_path):
    # Within the alias budget (729 values), but each value is 1,000 characters: the field's value
    # is 729,000 characters, quoted whole before; now an excerpt.
    text = "workspace: {slug: bomb, name: Bomb}\nx0: &x0 [" + ", ".join(["'" + "l" * 1000 + "'"] * 9) + "]\n"
    text += "x1: &x1 [" + ", ".join(["*x0"] * 9) + "]\nx2: &x2 [" + ", ".join(["*x1"] * 9) + "]\n"
    text += "applications:\n  - {slug: a, name: *x2, kind: saas}\n"
    path = tmp_path / "field.yaml"
    path.write_text(text)
    failure = assert_refused_cheaply(lambda: import_file(path), "is not of type string")
    assert max(len(str(p)) for p in failure.problems) < 600


def test_alias_to_itself_is_refused(db, tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("workspace: {slug: loop, name: Loop}\napplications: &a [*a]\n")
    assert_refused_cheaply(lambda: import_file(path), "contains it")


def test_a_few_aliases_are_fine(db, tmp_path):
    path = tmp_path / "anchors.yaml"
    path.write_text("workspace: {slug: anchors, name: Anchors}\n"
                    "services:\n  - {slug: a, name: A, needs: &std {availability: 3, integrity: 2}}\n"
                    "  - {slug: b, name: B, needs: *std}\n")
    report = import_file(path)
    assert report.created["services"] == 2


@pytest.mark.parametrize("depth", [100, 5_000, 200_000])
@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_deep_nesting_is_refused(db, tmp_path, depth, fmt):
    path = tmp_path / f"deep.{fmt}"
    nested = "[" * depth + "]" * depth
    if fmt == "json":
        path.write_text('{"workspace": {"slug": "deep", "name": "Deep"}, "applications": ' + nested + "}")
    else:
        path.write_text("workspace: {slug: deep, name: Deep}\napplications: " + nested + "\n")
    assert_refused_cheaply(lambda: import_file(path), "nested more than 64 levels", "MUE_MAX_NESTING")


def test_deep_block_yaml_is_refused(db, tmp_path):
    path = tmp_path / "block.yaml"
    path.write_text("workspace: {slug: deep, name: Deep}\napplications:\n"
                    + "".join("  " * (i + 1) + "- \n" for i in range(80)) + "  " * 81 + "x\n")
    assert_refused_cheaply(lambda: import_file(path), "nested more than 64 levels")


def test_brackets_inside_strings_do_not_count_as_nesting(db, tmp_path):
    path = tmp_path / "strings.json"
    path.write_text('{"workspace": {"slug": "s", "name": "S"}, "applications": [{"slug": "a", "kind": "saas", '
                    '"name": "' + "[" * 150 + '\\" ]]] {{"}]}')
    report = import_file(path)
    assert report.created["applications"] == 1


def test_huge_value_message_is_an_excerpt_with_the_limit(db, tmp_path):
    path = tmp_path / "long.json"
    path.write_text('{"workspace": {"slug": "long", "name": "Long"}, "applications": '
                    '[{"slug": "a", "kind": "saas", "name": "' + "x" * 1_000_000 + '"}]}')
    failure = assert_refused_cheaply(lambda: import_file(path), "at most 200 characters, got 1000000")
    assert len(str(failure.problems[0])) < 400


def test_size_limit_per_kind_is_checked_before_reading(db, tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text("workspace: {slug: big, name: Big}\n" + "# padding\n" * 500)
    with override_settings(MUE_INPUT_LIMITS={"map_bytes": 1024}):
        assert_refused_cheaply(lambda: import_file(path), "a map file may be at most 1 KB", "MUE_MAX_MAP_MB")
    assert import_file(path).workspace == "big"  # the default limit lets it in


def test_uploads_and_streams_are_bounded_too():
    with override_settings(MUE_INPUT_LIMITS={"csv_bytes": 100}):
        upload = SimpleUploadedFile("a.csv", b"x" * 101)
        with pytest.raises(InputRejected, match="at most 100 bytes"):
            read_bytes(upload, "csv")
        stream = io.BytesIO(b"x" * 10_000)  # a size the stream does not tell: read up to the limit only
        with pytest.raises(InputRejected):
            read_bytes(stream, "csv")
        assert stream.tell() == 101
        assert read_bytes(SimpleUploadedFile("b.csv", b"slug\n"), "csv") == b"slug\n"


# -- CSV ----------------------------------------------------------------------------------------------


def test_csv_line_without_end_is_refused(workspace, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_bytes(b"slug,name\n" + b"," * 5_000_000)
    assert_refused_cheaply(lambda: import_file(path, workspace=workspace.slug),
                           "row 2", "longer than 1,000,000 characters", "MUE_MAX_LINE_CHARS")


def test_csv_cell_longer_than_the_limit_is_refused(workspace, tmp_path):
    path = tmp_path / "applications.csv"
    path.write_bytes(b'slug,name\na,"' + b"x\n" * 600_000 + b'"\n')  # short lines, one 1.2 MB cell
    assert_refused_cheaply(lambda: import_file(path, workspace=workspace.slug), "a cell is longer than")


# -- XLSX ---------------------------------------------------------------------------------------------


def _workbook_parts() -> dict[str, bytes]:
    book = openpyxl.Workbook()
    book.active.title = "applications"
    book.active.append(["slug", "name", "kind"])
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _zip_bomb(path, unpacked_mb: int = 640) -> None:
    """A genuine workbook whose sheet unpacks to ``unpacked_mb`` MB of spaces, written without making them.

    Deflate blocks ended by a full flush do not depend on what came before, so the block of one
    16 MB chunk is repeated; the archive is written by hand (local headers, central directory).
    """
    parts = _workbook_parts()
    sheet = "xl/worksheets/sheet1.xml"
    head, tail = parts[sheet].split(b"<sheetData>")
    head, tail = head + b"<sheetData>", tail
    chunk = b" " * (16 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = unpacked_mb // 16
    last = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    entries = [(name, zlib.crc32(data), len(data), _deflate(data), data) for name, data in parts.items()
               if name != sheet]
    entries.append((sheet, crc, len(head) + count * len(chunk) + len(tail), None, None))
    with open(path, "wb") as fh:
        central = []
        for name, crc32, size, deflated, _data in entries:
            offset = fh.tell()
            compressed = len(deflated) if deflated is not None else len(first) + count * len(block) + len(last)
            encoded = name.encode()
            fh.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc32, compressed, size,
                                 len(encoded), 0) + encoded)
            if deflated is not None:
                fh.write(deflated)
            else:
                fh.write(first)
                for _ in range(count):
                    fh.write(block)
                fh.write(last)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc32, compressed,
                                       size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
        start = fh.tell()
        for record in central:
            fh.write(record)
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), fh.tell() - start,
                             start, 0))


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def test_xlsx_zip_bomb_is_refused(workspace, tmp_path):
    path = tmp_path / "applications.xlsx"
    _zip_bomb(path)
    assert path.stat().st_size < 2_000_000
    with zipfile.ZipFile(path) as archive:  # a genuine archive: what it says it unpacks to is true
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 600 * 1024 * 1024
    assert_refused_cheaply(lambda: import_file(path, workspace=workspace.slug),
                           "unpacks to 640", "MUE_MAX_XLSX_UNPACKED_MB")


def test_xlsx_xml_entities_are_refused(workspace, tmp_path):
    parts = _workbook_parts()
    sheet = "xl/worksheets/sheet1.xml"
    laughs = ('<!DOCTYPE worksheet [<!ENTITY a "lollollollollollollollollollol">'
              + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8)) + "]>")
    parts[sheet] = parts[sheet].replace(b"<worksheet", laughs.encode() + b"<worksheet", 1).replace(
        b"<sheetData>", b'<sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>&i;</t></is></c></row>', 1)
    path = tmp_path / "applications.xlsx"
    path.write_bytes(_zip(parts))
    assert_refused_cheaply(lambda: import_file(path, workspace=workspace.slug), "XML entities")


def test_xlsx_wide_rows_count_as_the_cells_they_make(workspace, tmp_path):
    # 1,000 rows, each with one cell in the last column (XFD): 16 million cells once rows are laid out.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "applications"
    sheet.append(["slug", "name"])
    for row in range(2, 1002):
        sheet.cell(row=row, column=16384, value="x")
    path = tmp_path / "applications.xlsx"
    book.save(path)
    assert_refused_cheaply(lambda: import_file(path, workspace=workspace.slug), "more than 2,000,000 cells",
                           "MUE_MAX_XLSX_CELLS")


def test_xlsx_cell_limit_is_a_setting(workspace, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "applications"
    book.active.append(["slug", "name", "kind"])
    for n in range(400):
        book.active.append([f"a{n}", f"A {n}", "saas"])
    path = tmp_path / "applications.xlsx"
    book.save(path)
    with override_settings(MUE_INPUT_LIMITS={"xlsx_cells": 1000}):
        assert_refused_cheaply(lambda: import_file(path, workspace=workspace.slug), "more than 1,000 cells")
    assert import_file(path, workspace=workspace.slug).created["applications"] == 400


def test_xlsx_declared_million_rows_cost_only_the_rows_there(workspace, tmp_path):
    parts = _workbook_parts()
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', parts[sheet])
    assert b"XFD1048576" in parts[sheet]
    parts[sheet] = parts[sheet].replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>'
                                        b"z</t></is></c><c r=\"B1048576\" t=\"inlineStr\"><is><t>Z</t></is></c>"
                                        b'<c r="C1048576" t="inlineStr"><is><t>saas</t></is></c></row></sheetData>')
    path = tmp_path / "applications.xlsx"
    path.write_bytes(_zip(parts))
    started = time.perf_counter()
    report = import_file(path, workspace=workspace.slug)
    assert time.perf_counter() - started < SECONDS
    assert report.created["applications"] == 1


def test_not_a_workbook(workspace, tmp_path):
    path = tmp_path / "applications.xlsx"
    path.write_bytes(b"PK\x03\x04 this is no zip")
    assert_refused_cheaply(lambda: import_file(path, workspace=workspace.slug), "not a readable XLSX file")


def test_a_directory_is_refused_without_a_traceback(db, tmp_path):
    folder = tmp_path / "maps.yaml"
    folder.mkdir()
    with pytest.raises(ImportFailed, match="directory"):
        import_file(folder)


def test_the_command_says_it_in_one_line_and_exits_3(db, tmp_path):
    from typer.testing import CliRunner

    from mue.cli.app import ExitCode
    from mue.cli.main import app

    laughs, deep = tmp_path / "laughs.yaml", tmp_path / "deep.json"
    laughs.write_text(_laughs())
    deep.write_text('{"workspace": {"slug": "d"}, "units": ' + "[" * 200_000 + "]" * 200_000 + "}")
    result = CliRunner().invoke(app, ["import", str(laughs), str(deep)])
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "Traceback" not in result.output and len(result.output) < 2000
    assert "laughs.yaml: rejected, nothing written" in result.output
    assert "deep.json: rejected, nothing written" in result.output


def test_uploads_are_imported_within_the_limits(workspace):
    from mue.interchange.files import import_upload

    sheet = SimpleUploadedFile("applications.csv", b"slug,name,kind\na,A,saas\n")
    assert import_upload(sheet, workspace=workspace.slug).created["applications"] == 1
    with override_settings(MUE_INPUT_LIMITS={"csv_bytes": 10}):
        before = database_state()
        with pytest.raises(ImportFailed, match="a CSV file may be at most 10 bytes"):
            import_upload(SimpleUploadedFile("applications.csv", b"slug,name,kind\nb,B,saas\n"),
                          workspace=workspace.slug)
        assert database_state() == before
    laughs = SimpleUploadedFile("../../etc/laughs.yaml", _laughs().encode())  # the name's folders are dropped
    with pytest.raises(ImportFailed) as caught:
        import_upload(laughs)
    assert caught.value.problems[0].file == "laughs.yaml" and "aliases" in caught.value.problems[0].message
