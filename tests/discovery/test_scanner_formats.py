"""The C scanner reads dnsmasq (Pi-hole) and CSV logs exactly as their Python readers do.

The scanner decides the lines it can decide and hands the others back to the Python reader, so the two engines
must agree on everything: totals, lines, malformed lines and their samples, ignored lines, whatever the block
boundaries. Hypothesis writes lines near the edges of each format (odd spacing, tabs, accents, quotes, times in
several forms, missing values).
"""

import csv
import gzip
import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mue.discovery.readers import scanner
from mue.discovery.readers.csvlog import parse_mapping, read_csv_log
from mue.discovery.readers.dns import read_adguard, read_bind, read_pihole, read_unbound
from mue.discovery.readers.zeek import read_zeek

pytestmark = pytest.mark.skipif(not scanner.available(),
                                reason="the C scanner was not built (no C compiler when Mue was installed)")

FILE_TIME = 1_700_000_000  # 2023-11-14: the file's date gives syslog times their year


def _summary(result):
    return (result.lines, result.malformed, result.ignored, sorted(result.rows),
            [(s["line"], s["reason"], s["text"]) for s in result.samples])


def _both(read, path, **kwargs):
    os.utime(path, (FILE_TIME, FILE_TIME))
    return _summary(read(path, engine="scanner", **kwargs)), _summary(read(path, engine="python", **kwargs))


def test_pihole_fixture_reads_the_same(logs, tmp_path):
    path = tmp_path / "pihole.log"
    path.write_bytes((logs / "pihole.log").read_bytes())
    scanned, python = _both(read_pihole, path)
    assert scanned == python
    assert scanned[0] > 0 and scanned[3]


def test_csv_fixture_reads_the_same(logs):
    mapping = parse_mapping("timestamp=Date,user=UPN,host=Application URL,bytes=Bytes")
    scanned = read_csv_log(logs / "sso_signins.csv", mapping, engine="scanner")
    python = read_csv_log(logs / "sso_signins.csv", mapping, engine="python")
    assert _summary(scanned) == _summary(python) and scanned.rows


def test_lines_the_scanner_cannot_decide_are_read_in_python(tmp_path):
    path = tmp_path / "pihole.log"
    path.write_text("Nov 14 10:00:00 dnsmasq[1]: query[A] café.example from 10.0.0.1\n"
                    "Nov 14 10:00:01 dnsmasq[1]: query[A]\twww.example.com from 10.0.0.1\n"
                    "Nov 14 10:00:02 dnsmasq[1]: query[A] www.example.com from 10.0.0.2\n", encoding="utf-8")
    scanned, python = _both(read_pihole, path)
    assert scanned == python
    assert scanned[:2] == (3, 0) and sum(scanned[2].values()) == 1  # after a tab, not a query line, in both
    assert {row[2] for row in scanned[3]} == {"café.example", "www.example.com"}


def test_a_quoted_value_over_two_lines_sends_the_whole_file_to_python(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text('timestamp,user,host\n1700000000,"a\nb",x.example\n1700000001,c,y.example\n', encoding="utf-8")
    scanned = read_csv_log(path, engine="scanner")
    assert _summary(scanned) == _summary(read_csv_log(path, engine="python"))
    assert sorted(r[1] for r in scanned.rows) == ["a\nb", "c"]


@pytest.mark.parametrize("block", [16, 100, 4096])
def test_block_boundaries_do_not_change_anything(tmp_path, monkeypatch, block):
    lines = []
    for i in range(300):
        lines.append(f"Nov 14 10:{i // 60:02d}:{i % 60:02d} dnsmasq[1]: query[A] h{i % 7}.example from 10.0.0.{i % 5}")
        if i % 17 == 0:
            lines.append("garbage é")
        if i % 11 == 0:
            lines.append(f"Nov 14 10:00:{i % 60:02d} dnsmasq[1]: reply h.example is 1.2.3.4")
    path = tmp_path / "pihole.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole, python = _both(read_pihole, path)
    monkeypatch.setattr(scanner, "BLOCK", block)
    cut, _ = _both(read_pihole, path)
    assert cut == whole == python


def test_gzip_csv_reads_the_same(tmp_path):
    path = tmp_path / "log.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("timestamp;user;host;bytes\n")
        for i in range(500):
            fh.write(f"2023-11-14T10:{i // 60 % 60:02d}:{i % 60:02d}Z;u{i % 3};https://h{i % 9}.example/x;{i}\n")
    scanned = read_csv_log(path, engine="scanner")
    assert _summary(scanned) == _summary(read_csv_log(path, engine="python"))
    assert sum(r[3] for r in scanned.rows) == 500


# -- generated lines -------------------------------------------------------------------------------------

_word = st.text(alphabet=st.sampled_from("abz09.-_:[]/é"), min_size=1, max_size=10)
_space = st.sampled_from([" ", " ", " ", "  ", "\t"])
_month = st.sampled_from(["Nov", "Dec", "Jan", "Feb", "Xyz", "No"])
_dnsmasq = st.builds(
    lambda mon, gap, day, hh, mm, ss, host, tag, extra, msg, name, sp, frm, client: (
        f"{mon}{gap}{day} {hh:02d}:{mm:02d}:{ss:02d} {host}{tag}[{day}]: {extra}{msg}{sp}{name} {frm} {client}"),
    _month, st.sampled_from([" ", "  "]), st.integers(0, 99), st.integers(0, 30), st.integers(0, 70),
    st.integers(0, 61), st.sampled_from(["", "pi.hole ", "x y "]),
    st.sampled_from(["dnsmasq", "pihole-FTL", "dnsmasqx"]),
    st.sampled_from(["", "12 192.168.1.3/5353 ", "12 zz/1 ", "7 ::1/53 "]),
    st.sampled_from(["query[A]", "query[AAAA]", "reply", "forwarded", "cached", "query"]), _word, _space,
    st.sampled_from(["from", "to", "is"]), _word)
_dnsmasq_line = st.one_of(_dnsmasq, _dnsmasq.map(lambda s: s[: len(s) // 2]), _dnsmasq.map(lambda s: s + "\r"),
                          _dnsmasq.map(lambda s: s + " trailing words"), st.just(""), st.just("   "),
                          st.text(alphabet=st.sampled_from("ab 1:\t[]é"), max_size=30))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_dnsmasq_line, max_size=40))
def test_generated_dnsmasq_lines_read_the_same(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("pihole") / "pihole.log"
    path.write_bytes("\n".join(lines).encode("utf-8"))
    scanned, python = _both(read_pihole, path)
    assert scanned == python


_time = st.one_of(
    st.integers(1_600_000_000, 1_800_000_000).map(str),
    st.builds(lambda s, f: f"{s}.{f}", st.integers(1_600_000_000, 1_800_000_000), st.integers(0, 999999)),
    st.builds(lambda d, h, m, s, frac, tz: f"2023-{d[0]:02d}-{d[1]:02d}{h}{m:02d}:{s:02d}{frac}{tz}",
              st.tuples(st.integers(0, 13), st.integers(0, 32)), st.sampled_from(["T10:", " 23:", "T24:", "t1:"]),
              st.integers(0, 61), st.integers(0, 61), st.sampled_from(["", ".123", ".123456", ".1", ".1234567"]),
              st.sampled_from(["", "Z", "+02:00", "-05:30", "+0200", "+25:00", "z"])),
    st.sampled_from(["", " 1700000000 ", "1e9", "-5", "1_700_000_000", "2024-02-29", "2023-02-29", "nan",
                     "1234567890123456789", "١٧٠٠٠٠٠٠٠٠"]))
_host = st.one_of(_word, st.builds(lambda s, h: f"{s}://{h}/p?q#f", st.sampled_from(["http", "https", "x"]), _word),
                  st.sampled_from(["", " ", "\u00a0x.example", "x.example\u3000", "://", "a://"]))
_bytes = st.sampled_from(["", "0", "12", "12.5", "-3", "+4", "x", "1e3", " 7 ", "1234567890123456"])
_value = st.one_of(_word, st.just(""), st.sampled_from(['"quoted, value"', '"say ""hi"""', 'mid"quote', '" spaced"']))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(delimiter=st.sampled_from([",", ";", "\t", "|"]),
       rows=st.lists(st.tuples(_time, _value, _host, _bytes, st.integers(0, 5)), max_size=30))
def test_generated_csv_lines_read_the_same(tmp_path_factory, delimiter, rows):
    lines = [delimiter.join(["timestamp", "user", "host", "bytes"])]
    for ts, user, host, nbytes, shape in rows:
        values = [ts, user, host, nbytes]
        if shape == 1:
            values = values[:2]  # a short line
        elif shape == 2:
            values = [*values, "extra"]
        elif shape == 3:
            values = [""] * 4  # a blank record
        lines.append(delimiter.join(values))
    path = tmp_path_factory.mktemp("csv") / "log.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scanned = read_csv_log(path, engine="scanner")
    assert _summary(scanned) == _summary(read_csv_log(path, engine="python"))


@pytest.mark.parametrize("engine", ["scanner", "python"])
def test_a_time_that_is_not_a_finite_number_is_a_malformed_line(tmp_path, engine):
    path = tmp_path / "log.csv"
    path.write_text("timestamp,user,host\nnan,a,x.example\ninf,b,x.example\n1700000000,c,x.example\n", encoding="utf-8")
    result = read_csv_log(path, engine=engine)
    assert (result.lines, result.malformed, [r[1] for r in result.rows]) == (3, 2, ["c"])
    assert [s["line"] for s in result.samples] == [2, 3]


# -- Zeek TSV --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "fmt"), [("zeek_dns.log", "zeek-dns"), ("zeek_http.log", "zeek-http"),
                                           ("zeek_ssl.log", "zeek-ssl"), ("zeek_ssl.json", "zeek-ssl")])
def test_zeek_fixtures_read_the_same_with_every_engine(logs, name, fmt):
    results = {engine: read_zeek(logs / name, fmt, engine=engine) for engine in ("scanner", "duckdb", "lines")}
    assert _summary(results["scanner"]) == _summary(results["lines"])
    assert _summary(results["duckdb"])[:4] == _summary(results["lines"])[:4]  # DuckDB's samples have no line number
    assert results["scanner"].lines > 0


_ZEEK_HEADER = ("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\thttp\n"
                "#fields\tts\tid.orig_h\thost\trequest_body_len\tresponse_body_len\tusername\n"
                "#types\ttime\taddr\tstring\tcount\tcount\tstring\n")


def test_concatenated_zeek_logs_are_read_line_by_line(tmp_path):
    line = "1700000000.000000\t10.0.0.1\twww.example.com\t1\t2\t-\n"
    path = tmp_path / "http.log"
    path.write_text(_ZEEK_HEADER + line + "#close\t2023-11-14\n" + _ZEEK_HEADER.replace("username", "user") + line)
    scanned = read_zeek(path, "zeek-http", engine="scanner")
    assert _summary(scanned) == _summary(read_zeek(path, "zeek-http", engine="lines"))
    assert scanned.lines == 2


_zeek_value = st.one_of(_word, st.sampled_from(["-", "(empty)", "", " ", "12", "007", "+5", "1_0", "nan", "inf",
                                                "1e3", "1700000000.5", "17000000001234567890", "é", "{", "\r"]))
_zeek_line = st.one_of(
    st.builds(lambda ts, orig, host, req, resp, user: "\t".join([ts, orig, host, req, resp, user]),
              st.one_of(st.integers(1_600_000_000, 1_800_000_000).map(lambda t: f"{t}.123456"), _zeek_value),
              _zeek_value, _zeek_value, _zeek_value, _zeek_value, _zeek_value),
    st.lists(_zeek_value, max_size=8).map("\t".join),
    st.sampled_from(["", "   ", "#close\t2023", "#types\tx", '{"ts": 1700000000, "host": "j.example"}',
                     '  {"ts": "nan", "host": "j.example"}', "{broken"]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(_zeek_line, max_size=30))
def test_generated_zeek_lines_read_the_same(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("zeek") / "http.log"
    path.write_bytes((_ZEEK_HEADER + "\n".join(lines)).encode("utf-8"))
    assert _summary(read_zeek(path, "zeek-http", engine="scanner")) == \
        _summary(read_zeek(path, "zeek-http", engine="lines"))


@pytest.mark.parametrize("engine", ["scanner", "duckdb", "lines"])
def test_zeek_times_and_counts_that_are_not_numbers(tmp_path, engine):
    path = tmp_path / "http.log"
    path.write_text(_ZEEK_HEADER + "nan\t10.0.0.1\ta.example\t1\t2\t-\n"
                    "1700000000.5\t10.0.0.1\tb.example\t-5\t17000000001234567890\t-\n"
                    "1700000001.5\t10.0.0.1\tb.example\t3\t(empty)\tann\n")
    result = read_zeek(path, "zeek-http", engine=engine)
    assert (result.lines, result.malformed) == (3, 1)
    assert sorted((r[1], r[2], r[3], r[4]) for r in result.rows) == [("10.0.0.1", "b.example", 1, 0),
                                                                    ("ann", "b.example", 1, 3)]


def test_times_of_many_digits_are_rounded_as_python_rounds_them(tmp_path):
    """Zeek writes 16 digits (microseconds): beyond 2**53 the scanner's float must still be Python's float()."""
    rng = random.Random(5)
    times = [f"{rng.randrange(10**9, 2 * 10**9)}.{rng.randrange(10**k):0{k}d}" for k in (6, 7, 8) for _ in range(700)]
    path = tmp_path / "log.csv"
    path.write_text("timestamp,user,host\n" + "".join(f"{t},u{i},h.example\n" for i, t in enumerate(times)))
    result = read_csv_log(path, engine="scanner")
    assert sorted(r[5] for r in result.rows) == sorted(float(t) for t in times)
    assert _summary(result) == _summary(read_csv_log(path, engine="python"))


# -- Unbound and BIND ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "read"), [("unbound.log", read_unbound), ("bind_query.log", read_bind)])
def test_dns_server_fixtures_read_the_same(logs, tmp_path, name, read):
    path = tmp_path / name
    path.write_bytes((logs / name).read_bytes())
    scanned, python = _both(read, path)
    assert scanned == python
    assert scanned[0] > 0 and scanned[3]


_unbound = st.builds(
    lambda head, host, tag, level, client, name, rest: f"{head} {host}{tag}: {level}: {client} {name}{rest}",
    st.one_of(st.integers(1_600_000_000, 1_800_000_000).map(lambda t: f"[{t}]"),
              st.builds(lambda t, f: f"[{t}.{f}]", st.integers(10**9, 2 * 10**9), st.integers(0, 999)),
              st.sampled_from(["[1614596400.]", "[x]", "[12345678901234567890]"]),
              st.builds(lambda mon, gap, d, h: f"{mon}{gap}{d} {h:02d}:00:00", _month, st.sampled_from([" ", "  "]),
                        st.integers(0, 99), st.integers(0, 30))),
    st.sampled_from(["", "host ", "a b "]), st.sampled_from(["unbound[1234:0]", "unbound[1:2:3]", "unbound[]", "x[1]"]),
    st.sampled_from(["info", "notice", "error", "in fo"]),
    st.sampled_from(["192.168.1.10", "::1", "10.0.0.x", "fe80::1"]), _word,
    st.sampled_from([" A IN", " AAAA IN", " A IN ", " A", " A  IN", " A IN extra", ""]))
_bind = st.builds(
    lambda d, mon, y, frac, cat, at, client, port, view, name, rest: (
        f"{d:02d}-{mon}-{y} 12:00:00{frac} {cat}client {at}{client}#{port} ({name}): {view}query: {name}{rest}"),
    st.integers(0, 40), _month, st.sampled_from(["2021", "0000", "1999"]), st.sampled_from(["", ".123", ".", ".1x"]),
    st.sampled_from(["", "queries: info: ", "q-x: i: ", "bad "]), st.sampled_from(["", "@0x7f0a ", "@ "]),
    st.sampled_from(["192.168.1.10", "::1", "zz"]), st.sampled_from(["53411", "", "x"]),
    st.sampled_from(["", "view internal: ", "view : ", "view a:b: "]), _word,
    st.sampled_from([" IN A + (1.2.3.4)", " IN A", "", " "]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(_unbound, _unbound.map(lambda s: s[: len(s) // 2]), _unbound.map(lambda s: s + "\r"),
                                st.just(""), st.just(" \t"), st.text(alphabet=st.sampled_from("ab :[]é\t"),
                                                                       max_size=20)), max_size=30))
def test_generated_unbound_lines_read_the_same(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("unbound") / "unbound.log"
    path.write_bytes("\n".join(lines).encode("utf-8"))
    scanned, python = _both(read_unbound, path)
    assert scanned == python


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(_bind, _bind.map(lambda s: s[: len(s) // 2]), _bind.map(lambda s: s + "\r"),
                                st.just(""), st.text(alphabet=st.sampled_from("ab :#()é\t"), max_size=20)),
                      max_size=30))
def test_generated_bind_lines_read_the_same(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("bind") / "query.log"
    path.write_bytes("\n".join(lines).encode("utf-8"))
    scanned, python = _both(read_bind, path)
    assert scanned == python


# -- AdGuard Home ----------------------------------------------------------------------------------------

def test_adguard_fixture_reads_the_same(logs):
    scanned = read_adguard(logs / "adguard_querylog.json", engine="scanner")
    assert _summary(scanned) == _summary(read_adguard(logs / "adguard_querylog.json", engine="python"))
    assert scanned.lines > 0 and scanned.rows


_json_text = st.sampled_from(['"zoom.us"', '"a\\u0041.example"', '"x\\"y"', '"é.example"', '123', 'null',
                              'true', '["a", {"b": [1, 2.5e3, -0]}]', '{}', '"tab\\there"', 'NaN', '01',
                              '"2023-11-14T22:13:20Z"'])
_time_text = st.one_of(
    st.builds(lambda sep, frac, tz: f'"2023-11-14{sep}22:13:20{frac}{tz}"', st.sampled_from(["T", " ", "t"]),
              st.sampled_from(["", ".1", ".123456789", ".1234567891", ".5"]),
              st.sampled_from(["", "Z", "+01:00", "-05:30", "+0100"])),
    _json_text)
_adguard = st.builds(
    lambda ip, t, qh, extra, order: "{" + ", ".join([f'"IP":{ip}', f'"T":{t}', f'"QH":{qh}', *extra][::order]) + "}",
    st.one_of(st.just('"192.0.2.10"'), _json_text), _time_text, st.one_of(st.just('"zoom.us"'), _json_text),
    st.lists(st.builds(lambda k, v: f'"{k}":{v}', st.sampled_from(["QT", "Result", "T", "Elapsed", "\\u0054"]),
                       _json_text), max_size=3),
    st.sampled_from([1, -1]))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(_adguard, _adguard.map(lambda s: s[:-1]), _adguard.map(lambda s: " " + s + " x"),
                                st.just(""), st.just("  "), st.just("[1, 2]"), st.just('"just a string"')),
                      max_size=30))
def test_generated_adguard_lines_read_the_same(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("adguard") / "querylog.json"
    path.write_bytes("\n".join(lines).encode("utf-8"))
    assert _summary(read_adguard(path, engine="scanner")) == _summary(read_adguard(path, engine="python"))


# -- hostile bytes ---------------------------------------------------------------------------------------

_SCANNERS = {
    "squid": lambda: scanner.Scanner(),
    "dnsmasq": lambda: scanner.Scanner("dnsmasq", 2023, 11),
    "unbound": lambda: scanner.Scanner("unbound", 2023, 11),
    "bind": lambda: scanner.Scanner("bind"),
    "adguard": lambda: scanner.Scanner("adguard"),
    "zeek": lambda: scanner.Scanner("zeek", delimiter=9, width=6, at_ts=0, at_user=5, at_host=2, at_orig=1,
                                    at_bytes=3, at_bytes2=4),
    "csv": lambda: scanner.Scanner("csv", delimiter=44, quotechar=34, doublequote=True, skipinitialspace=False,
                                   width=4, at_ts=0, at_user=1, at_host=2, at_bytes=3),
}
_pieces = st.sampled_from([b"[", b"]", b"{", b"}", b'"', b"\\", b":", b",", b"\t", b" ", b"\r", b"\n", b"\x00",
                           b"\xff", b"\xc3\xa9", b"#fields", b"query[A]", b"dnsmasq[1]: ", b"unbound[1:0] ",
                           b"client ", b"query: ", b"1700000000.5", b"2023-11-14T10:00:00Z", b'"T":"', b'"QH":"',
                           b"Nov 14 10:00:00 ", b"14-Nov-2023 10:00:00 ", b"info: ", b"0" * 40])


@pytest.mark.parametrize("fmt", sorted(_SCANNERS))
@settings(max_examples=150, deadline=None)
@given(data=st.one_of(st.binary(max_size=400), st.lists(_pieces, max_size=60).map(b"".join)))
def test_any_bytes_are_scanned_without_harm(fmt, data):
    """Uploaded logs reach the C code: whatever the bytes, a scan returns, and its counts add up."""
    physical, lines, malformed, samples, ignored, deferred, fallback = _SCANNERS[fmt]().scan(data)
    expected = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    assert physical == expected or (fallback and physical <= expected)  # a fallback stops the scan there
    assert 0 <= malformed <= lines <= physical and ignored <= lines and len(samples) <= 10
    assert all(raw in data for _line, raw in deferred) and isinstance(fallback, bool)


@pytest.mark.parametrize("engine", ["scanner", "python"])
@pytest.mark.parametrize("size", [200_000, 3 << 20])  # over the csv module's value limit; over 1 MiB too
def test_an_over_long_csv_value_is_one_unreadable_line(tmp_path, engine, size):
    # The limit is the csv module's, for the whole process (the spreadsheet importer raises it): its default here.
    limit = csv.field_size_limit(131072)
    try:
        _read_over_long_value(tmp_path, engine, size)
    finally:
        csv.field_size_limit(limit)


def _read_over_long_value(tmp_path, engine, size):
    path = tmp_path / "log.csv"
    path.write_text("timestamp,user,host\n1700000000,a,x.example\n1700000001,b," + "y" * size
                    + "\n1700000002,c,z.example\n")
    result = read_csv_log(path, engine=engine)
    assert (result.lines, result.malformed) == (3, 1)
    assert [(s["line"], s["reason"]) for s in result.samples] == [(3, "unreadable line")]
    assert sorted(r[1] for r in result.rows) == ["a", "c"]
