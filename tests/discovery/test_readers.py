"""Each reader on real-format samples (tests/fixtures/logs, see its README for sources)."""

import calendar
import gzip
import os
import shutil

import pytest

from mue.discovery.readers import detect, read
from mue.discovery.readers.base import host_of

NOV_2023 = calendar.timegm((2023, 11, 20, 0, 0, 0))


def _rows(result):
    return {(user, auth): (n, nbytes) for _day, user, auth, n, nbytes, _f, _l in result.rows}


def test_squid_plaso_edge_cases(logs):
    result = read(logs / "squid_plaso_access.log", "auto")
    assert result.format == "squid"
    assert (result.lines, result.malformed) == (8, 0)
    rows = _rows(result)
    # Both CONNECT lines (one with a doubled space before the last field) from the unauthenticated client.
    assert rows[("1.2.3.4", "domain.xyz:443")] == (2, 78)
    assert rows[("admin", "example.com")] == (1, 1024)  # IPv6 client, authenticated user
    assert rows[("user@domain.com", "secure.example.com:443")] == (1, 54321)
    assert rows[("10.0.0.50", "example.com")] == (1, 0)  # "-" user: the client address stands for the user


def test_squid_malformed_counted_and_sampled(logs):
    result = read(logs / "squid_small.log", "squid")
    assert (result.lines, result.malformed) == (10, 2)
    texts = sorted(s["text"] for s in result.samples)
    assert texts[1].startswith("this is not a squid line")
    assert texts[0].startswith("1700000500.000")


def test_squid_gzip_gives_the_same_totals(logs, tmp_path):
    plain = read(logs / "squid_small.log", "squid")
    packed = read(logs / "squid_small.log.gz", "auto")
    assert sorted(packed.rows) == sorted(plain.rows)
    assert packed.malformed == plain.malformed


def test_squid_invalid_utf8_is_a_malformed_line(tmp_path):
    path = tmp_path / "access.log"
    path.write_bytes(b"1700000000.000      1 192.0.2.1 TCP_TUNNEL/200 10 CONNECT a\xff.example:443 - H/- -\n"
                     b"1700000000.000      1 192.0.2.1 TCP_TUNNEL/200 10 CONNECT ok.example:443 - H/- -\n")
    result = read(path, "squid")
    assert (result.lines, result.malformed) == (2, 1)
    assert result.samples[0]["line"] == 1
    assert _rows(result) == {("192.0.2.1", "ok.example:443"): (1, 10)}


@pytest.mark.parametrize("name, fmt, expected, malformed", [
    ("zeek_dns.log", "zeek-dns", {("192.0.2.10", "app.slack.com"): (1, 0), ("192.0.2.11", "www.dropbox.com"): (1, 0)},
     1),
    ("zeek_http.log", "zeek-http", {("192.0.2.10", "www.wetransfer.com"): (1, 1500),
                                    ("bob", "wetransfer.com"): (1, 10200)}, 0),
    ("zeek_ssl.log", "zeek-ssl", {("192.0.2.10", "chatgpt.com"): (1, 0), ("192.0.2.10", "api.openai.com"): (1, 0)}, 0),
    ("zeek_ssl.json", "zeek-ssl", {("192.0.2.10", "claude.ai"): (1, 0), ("192.0.2.11", "mistral.ai"): (1, 0)}, 1),
    ("adguard_querylog.json", "adguard", {("192.0.2.10", "zoom.us"): (1, 0), ("192.0.2.11", "us02web.zoom.us"): (1, 0)},
     1),
    ("bind_query.log", "bind", {("192.0.2.10", "www.figma.com"): (1, 0), ("192.0.2.11", "figma.com"): (1, 0),
                                ("2001:db8::10", "canva.com"): (1, 0)}, 1),
])
def test_readers_on_samples(logs, name, fmt, expected, malformed):
    assert detect(logs / name) == fmt
    result = read(logs / name, "auto")
    assert _rows(result) == expected
    assert result.malformed == malformed
    assert len(result.samples) == malformed


def test_pihole_counts_query_lines_only_and_dates_from_the_file_year(logs, tmp_path):
    path = tmp_path / "pihole.log"
    shutil.copy(logs / "pihole.log", path)
    os.utime(path, (NOV_2023, NOV_2023))
    result = read(path, "auto")
    assert result.format == "pihole"
    assert _rows(result) == {("192.0.2.10", "app.slack.com"): (1, 0), ("192.0.2.11", "www.dropbox.com"): (1, 0),
                             ("2001:db8::10", "slack.com"): (1, 0)}
    assert result.malformed == 1
    assert {r[0] for r in result.rows} == {calendar.timegm((2023, 11, 14, 0, 0, 0)) // 86400}


def test_syslog_month_after_the_file_month_is_last_year(tmp_path):
    path = tmp_path / "pihole.log"
    path.write_text("Dec 31 23:59:59 dnsmasq[1]: query[A] a.example from 192.0.2.1\n")
    jan = calendar.timegm((2024, 1, 2, 0, 0, 0))
    os.utime(path, (jan, jan))
    (row,) = read(path, "pihole").rows
    assert row[5] == calendar.timegm((2023, 12, 31, 23, 59, 59))


def test_unbound_epoch_and_ascii_times(logs, tmp_path):
    path = tmp_path / "unbound.log"
    shutil.copy(logs / "unbound.log", path)
    os.utime(path, (NOV_2023, NOV_2023))
    result = read(path, "auto")
    assert result.format == "unbound"
    assert _rows(result) == {("192.0.2.10", "www.notion.so."): (2, 0), ("192.0.2.11", "miro.com."): (1, 0)}
    assert result.malformed == 1


def test_csv_with_mapping(logs):
    result = read(logs / "sso_signins.csv", "csv", mapping="timestamp=Date,user=UPN,host=Application URL,bytes=Bytes")
    assert _rows(result) == {("alice@example.org", "app.asana.com"): (1, 0),
                             ("bob@example.org", "app.asana.com"): (1, 10),
                             ("alice@example.org", "www.yousign.app"): (1, 5)}
    assert (result.lines, result.malformed) == (4, 1)


def test_csv_without_the_mapped_columns_is_refused(logs):
    with pytest.raises(ValueError, match="no column"):
        read(logs / "sso_signins.csv", "csv")


def test_gzip_python_readers(logs, tmp_path):
    path = tmp_path / "bind.log.gz"
    with gzip.open(path, "wb") as fh:
        fh.write((logs / "bind_query.log").read_bytes())
    assert read(path, "auto").rows == read(logs / "bind_query.log", "bind").rows


@pytest.mark.parametrize("authority, host", [
    ("App.Slack.com:443", "app.slack.com"), ("user:pw@host.example", "host.example"),
    ("[2001:db8::1]:443", "2001:db8::1"),
    ("www.notion.so.", "www.notion.so"), ("2001:db8::1", "2001:db8::1"),
])
def test_host_of(authority, host):
    assert host_of(authority) == host


@pytest.mark.parametrize("name, fmt, engine", [
    ("squid_small.log", "squid", "duckdb"), ("squid_small.log", "squid", "scanner"),
    ("squid_small.log.gz", "squid", "duckdb"), ("squid_small.log.gz", "squid", "scanner"),
    ("pihole.log", "pihole", None), ("zeek_ssl.log", "zeek-ssl", None),
])
def test_progress_reports_every_byte_of_the_file(logs, name, fmt, engine):
    """The progress bar of `mue discover` counts the bytes read from disk (compressed ones for gzip)."""
    from mue.discovery.readers import scanner
    from mue.discovery.readers.squid import read_squid

    if engine == "scanner" and not scanner.available():
        pytest.skip("the C scanner was not built (no C compiler when Mue was installed)")
    seen = []
    path = logs / name
    if engine:
        read_squid(path, seen.append, engine=engine)
    else:
        read(path, fmt, progress=seen.append)
    assert sum(seen) == path.stat().st_size and all(n > 0 for n in seen)


def _zeek_totals(result):
    return (sorted(result.rows), result.lines, result.malformed, result.ignored,
            sorted((s["reason"], s["text"]) for s in result.samples))


@pytest.mark.parametrize("name, fmt", [("zeek_ssl.log", "zeek-ssl"), ("zeek_dns.log", "zeek-dns"),
                                       ("zeek_http.log", "zeek-http")])
def test_zeek_duckdb_reader_gives_the_line_readers_totals(logs, name, fmt):
    from mue.discovery.readers.zeek import read_zeek

    assert _zeek_totals(read_zeek(logs / name, fmt)) == _zeek_totals(read_zeek(logs / name, fmt, engine="lines"))


def test_zeek_duckdb_reader_on_every_shape_of_line(tmp_path):
    from mue.discovery.readers.zeek import read_zeek
    from mue.discovery.readers.zeek_duckdb import read_zeek_duckdb

    head = ("#separator \\x09\n#unset_field\t-\n#path\thttp\n"
            "#fields\tts\tuid\tid.orig_h\thost\tusername\trequest_body_len\tresponse_body_len\n"
            "#types\ttime\tstring\taddr\tstring\tstring\tcount\tcount\n")
    body = ("1700000000.5\tC1\t10.0.0.1\tapp.slack.com\talice\t10\t200\n"
            "1700000001.5\tC2\t10.0.0.2\tapp.slack.com\t-\t-\t50\n"        # no user: the address; unset length
            "1700000002.5\tC3\t10.0.0.3\t-\tbob\t1\t1\n"                   # no Host: ignored
            "not-a-time\tC4\t10.0.0.3\twww.dropbox.com\tbob\t1\t1\n"       # malformed: ts
            "1700000003.5\tC5\t10.0.0.3\twww.dropbox.com\n"                # malformed: fields
            "\n"
            "1700086400.0\tC6\t10.0.0.1\tapp.slack.com\talice\t0\t0\n"
            "#close\t2023-11-15-00-00-00\n")
    path = tmp_path / "http.log"
    path.write_text(head + body)
    fast = read_zeek_duckdb(path, "zeek-http", "host", "HTTP request without a Host")
    assert fast is not None
    assert _zeek_totals(fast) == _zeek_totals(read_zeek(path, "zeek-http", engine="lines"))
    assert (fast.lines, fast.malformed, fast.ignored) == (6, 2, {"HTTP request without a Host": 1})
    # Two header blocks (concatenated logs): the line reader's business.
    twice = tmp_path / "twice.log"
    twice.write_text(head + body + head + body)
    assert read_zeek_duckdb(twice, "zeek-http", "host", "HTTP request without a Host") is None
    assert read_zeek(twice, "zeek-http").lines == 12
