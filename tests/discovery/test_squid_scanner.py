"""The C scanner of Squid logs reads every line as the DuckDB reader does, whatever the blocks' boundaries."""

import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mue.discovery.readers import scanner
from mue.discovery.readers.squid import read_squid, read_squid_duckdb

pytestmark = pytest.mark.skipif(not scanner.available(),
                                reason="the C scanner was not built (no C compiler when Mue was installed)")


def _summary(result):
    return result.lines, result.malformed, sorted(result.rows)


def test_the_scanner_is_the_default_when_built(logs):
    assert read_squid(logs / "squid_small.log").rows == scanner.read_squid_scanned(logs / "squid_small.log").rows


@pytest.mark.parametrize("name", ["squid_small.log", "squid_small.log.gz", "squid_plaso_access.log"])
def test_scanner_and_duckdb_agree_on_the_samples(logs, name):
    assert _summary(read_squid(logs / name, engine="scanner")) == _summary(read_squid(logs / name, engine="duckdb"))


def test_malformed_lines_are_sampled_with_their_line_number(tmp_path):
    path = tmp_path / "access.log"
    good = "1700000000.000      1 192.0.2.1 TCP_TUNNEL/200 10 CONNECT ok.example:443 - H/- -\n"
    path.write_text(good + "\n   \nnot squid at all\n" + good + "1700000000.000 x\n")
    result = read_squid(path, engine="scanner")
    assert (result.lines, result.malformed) == (4, 2)  # the empty and the blank lines are not lines
    assert [(s["line"], s["reason"], s["text"]) for s in result.samples] == [
        (4, "not a Squid native line", "not squid at all"), (6, "not a Squid native line", "1700000000.000 x")]


@pytest.mark.parametrize("block", [7, 64, 1000])
def test_block_boundaries_do_not_change_anything(logs, monkeypatch, block):
    """Lines cut by a block's end are carried to the next block; line numbers run on."""
    whole = read_squid(logs / "squid_small.log", engine="scanner")
    monkeypatch.setattr(scanner, "BLOCK", block)
    cut = read_squid(logs / "squid_small.log", engine="scanner")
    assert _summary(cut) == _summary(whole)
    assert cut.samples == whole.samples


@pytest.mark.parametrize("block", [1 << 16, 1 << 20])
def test_an_over_long_line_is_unreadable_and_skipped(tmp_path, monkeypatch, block):
    good = b"1700000000.000      1 192.0.2.1 TCP_TUNNEL/200 10 CONNECT ok.example:443 - H/- -\n"
    path = tmp_path / "access.log"
    path.write_bytes(good + b"1700000000.000 " + b"x" * (3 << 20) + b"\n" + good + good)
    monkeypatch.setattr(scanner, "BLOCK", block)
    result = read_squid(path, engine="scanner")
    assert (result.lines, result.malformed) == (4, 1)
    assert [(s["line"], s["reason"]) for s in result.samples] == [(2, "unreadable line")]
    assert [row[3] for row in result.rows] == [3]
    assert _summary(result)[:2] == _summary(read_squid_duckdb(path))[:2]


# Lines as proxies write them, and the ways they go wrong.
_token = st.text(alphabet=st.sampled_from("abcz019.-_:/@é"), min_size=1, max_size=12)
_url = st.one_of(
    st.builds(lambda h, p: f"http://{h}/{p}", _token, _token),
    st.builds(lambda h: f"{h}:443", _token),
    st.builds(lambda h: f"https://{h}", _token),
    _token,
)
_good = st.builds(
    lambda ts, ms, pad, client, status, size, url, user: (
        f"{ts}.{ms:03d}{' ' * pad}{status} {client} TCP_MISS/200 {size} GET {url} {user} HIER_DIRECT/- text/html"),
    st.integers(1_600_000_000, 1_800_000_000), st.integers(0, 999), st.integers(1, 8), st.integers(0, 10**7),
    _token, st.integers(0, 10**9), _url, st.one_of(st.just("-"), _token))
_line = st.one_of(_good, _good.map(lambda s: s.replace(" ", "  ", 1)), _good.map(lambda s: s[: len(s) // 2]),
                  _good.map(lambda s: s + "\r"), st.just(""), st.just("   "), st.just("\t"),
                  st.text(alphabet=st.sampled_from("ab 1.\t"), max_size=30))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_line, max_size=40), final_newline=st.booleans(), packed=st.booleans())
def test_scanner_agrees_with_duckdb_on_any_lines(tmp_path, lines, final_newline, packed):
    data = ("\n".join(lines) + ("\n" if final_newline else "")).encode()
    path = tmp_path / ("access.log.gz" if packed else "access.log")
    path.write_bytes(gzip.compress(data) if packed else data)
    assert _summary(read_squid(path, engine="scanner")) == _summary(read_squid_duckdb(path))


def test_readers_need_no_django_settings(logs):
    """The readers are plain Python (the benchmark and scripts use them without a configured Django)."""
    import os
    import subprocess
    import sys

    code = ("from pathlib import Path; from mue.discovery.readers import read; "
            f"r = read(Path({str(logs / 'squid_small.log')!r}), 'auto'); print(r.lines, r.malformed)")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["10", "2"]
