"""Log files are bounded where they are opened: their size, and the length of a line."""

import time
import tracemalloc

import pytest
from django.test import override_settings
from typer.testing import CliRunner

from mue.cli.app import ExitCode
from mue.cli.main import app
from mue.core.inputs import InputRejected
from mue.discovery.models import DiscoveryRun
from mue.discovery.readers import detect, read, scanner
from mue.discovery.readers.dns import read_pihole

runner = CliRunner()


def test_a_log_over_the_size_limit_is_refused_before_reading(logs, tmp_path):
    with override_settings(MUE_INPUT_LIMITS={"log_bytes": 100}):
        with pytest.raises(InputRejected, match="pihole.log: the file is .*a log file may be at most 100 bytes"):
            read(logs / "pihole.log", "auto")
    with pytest.raises(InputRejected, match="directory"):
        read(tmp_path, "auto")


@pytest.mark.parametrize("engine", ["python", "scanner"])
def test_a_line_without_end_costs_one_piece_of_it(logs, tmp_path, engine):
    """The Python reader reads an over-long line in pieces, the C scanner skips it as one unreadable line: in
    both, memory holds a piece or the scanner's blocks, never the line."""
    if engine == "scanner" and not scanner.available():
        pytest.skip("the C scanner was not built (no C compiler when Mue was installed)")
    path = tmp_path / "pihole.log"
    good = (logs / "pihole.log").read_bytes()
    path.write_bytes(good + b"x" * 30_000_000 + b"\n" + good)  # 30 MB with no line end, between two logs
    assert detect(path) == "pihole"
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = read_pihole(path, engine=engine, threads=2)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 30  # traced; the bound here is memory
    blocks = 5 * (scanner.BLOCK + scanner.MAX_LINE) if engine == "scanner" else 0  # 2 threads: 5 blocks in flight
    assert peak < blocks + 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    once = read(logs / "pihole.log", "pihole")
    pieces = 30 if engine == "python" else 1  # 30 pieces of 1,000,000 characters, or one line
    assert result.lines == 2 * once.lines + pieces
    assert result.malformed == 2 * once.malformed + pieces
    assert sum(r[3] for r in result.rows) == 2 * sum(r[3] for r in once.rows)
    assert all(len(sample["text"]) <= 300 for sample in result.samples)


@pytest.fixture
def cli_db(workspace, transactional_db):
    return workspace


def test_discover_says_what_limit_a_log_exceeds(cli_db, logs):
    with override_settings(MUE_INPUT_LIMITS={"log_bytes": 100}):
        result = runner.invoke(app, ["discover", str(logs / "pihole.log"), "--workspace", "test-ws"])
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "MUE_MAX_LOG_MB" in result.output and "Traceback" not in result.output
    assert not DiscoveryRun.objects.exists()


def test_a_catalogue_file_is_bounded_as_a_map(cli_db, tmp_path):
    from tests.interchange.test_hostile_inputs import _laughs

    entries = tmp_path / "entries.yaml"
    entries.write_text(_laughs())
    result = runner.invoke(app, ["catalogue", "--workspace", "test-ws", "--import", str(entries)])
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "MUE_MAX_ALIAS_VALUES" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("name", "fmt"), [("adguard_querylog.json", "adguard"), ("zeek_ssl.json", "zeek-ssl")])
def test_a_deeply_nested_json_line_is_a_malformed_line_not_a_crash(logs, tmp_path, name, fmt):
    good = (logs / name).read_bytes()
    path = tmp_path / name
    path.write_bytes(good + b"[" * 200_000 + b"]" * 200_000 + b"\n" + good)
    assert detect(path) == fmt
    result = read(path, fmt)
    plain = read(logs / name, fmt)
    assert result.malformed == 2 * plain.malformed + 1  # the fixture's own malformed line is there twice
    assert result.lines == 2 * plain.lines + 1 and len(result.rows) == len(plain.rows)
