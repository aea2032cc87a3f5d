"""Squid's native access.log, read by DuckDB: its parallel scanner and hash aggregation do the heavy work.

A native line is ``time.ms elapsed client code/status bytes method URL user hierarchy/peer type``; the elapsed field
is right-aligned on six characters, so a line holds one to six spaces after the time.

DuckDB reads each line whole, as one column (splitting on a byte that text logs do not hold), then splits it on
single spaces once: the padding gives empty items after the time, and ``off`` (how many) says where the real fields
start. Reading one column and splitting it is cheaper than letting the CSV scanner make fourteen columns. The time is
parsed as a number and floored to days, the host is cut out of the URL with ``split_part`` (no regular expression),
and only the totals per (day, user, host) come back to Python: memory grows with those, not with the file.
The user is the authenticated user, or the client address when the proxy does not authenticate.
Malformed lines (too few fields, a time or size that is not a number) are counted and sampled; blank lines are
skipped like the other readers do.
"""

from __future__ import annotations

import threading
from pathlib import Path

from mue.discovery.readers import scanner
from mue.discovery.readers.base import (
    MAX_SAMPLES,
    SAMPLE_CHARS,
    Progress,
    ReadResult,
    Totals,
    cores,
    duckdb_lines,
    file_size,
    gettext_noop,
    is_gzip,
)

_PADDING = 6  # the elapsed field is padded to six characters: up to five empty items after the time


def _query(path: str, gz: bool, rejects: bool = False) -> str:
    source = duckdb_lines(path, gz, rejects)
    # Items 2..6 of the split line are empty where the elapsed field is padded; a missing item (short line) is NULL,
    # which makes ``off`` NULL and the line malformed.
    off = " + ".join(f"(l[{i}] = '')::INT" for i in range(2, _PADDING + 1))
    return f"""
    WITH s AS (SELECT line, string_split(line, ' ') AS l FROM {source} WHERE line IS NOT NULL),
    o AS (SELECT line, l, {off} AS off FROM s),
    f AS (SELECT line, TRY_CAST(l[1] AS DOUBLE) AS ts, l[3 + off] AS client, TRY_CAST(l[5 + off] AS BIGINT) AS nbytes,
                 l[7 + off] AS url, l[8 + off] AS usr FROM o),
    d AS (SELECT line, ts, nbytes,
                 CASE WHEN ts IS NULL OR nbytes IS NULL OR usr IS NULL THEN NULL ELSE floor(ts / 86400)::INT END AS day,
                 CASE WHEN usr = '-' THEN client ELSE usr END AS who,
                 CASE WHEN contains(url, '://') THEN split_part(url, '/', 3) ELSE url END AS auth FROM f),
    e AS (SELECT day, who, auth, ts, nbytes,
                 CASE WHEN day IS NULL THEN trim(line) = '' END AS blank,
                 CASE WHEN day IS NULL THEN left(line, {SAMPLE_CHARS}) END AS raw FROM d)
    SELECT day, who, coalesce(auth, '') AS auth, count(*) AS n, coalesce(sum(nbytes), 0)::BIGINT AS nb,
           min(ts) AS first, max(ts) AS last, count(*) FILTER (WHERE blank) AS blanks,
           min(raw, {MAX_SAMPLES}) FILTER (WHERE NOT blank) AS samples
    FROM e GROUP BY day, who, auth
    """


# The totals stay in DuckDB: the good ones come back as columns (readers.base.Totals), without a Python loop.
_ROWS = "SELECT day, who, auth, n, nb, first, last FROM totals WHERE day IS NOT NULL"
_SUMMARY = ("SELECT coalesce(sum(n - blanks), 0), coalesce(sum(n - blanks) FILTER (WHERE day IS NULL), 0), "
            "flatten(list(samples) FILTER (WHERE day IS NULL)) FROM totals")


def read_squid(path: Path, progress: Progress | None = None, threads: int | None = None,
               engine: str | None = None) -> ReadResult:
    """Aggregate a Squid native access.log (plain or gzip): with the C scanner when it was built (about
    twice as fast), else with DuckDB. ``engine`` ("scanner", "duckdb") forces one."""
    if engine == "scanner" or (engine is None and scanner.available()):
        return scanner.read_squid_scanned(path, progress, threads)
    return read_squid_duckdb(path, progress, threads)


def read_squid_duckdb(path: Path, progress: Progress | None = None, threads: int | None = None) -> ReadResult:
    """Aggregate a Squid native access.log (plain or gzip) with DuckDB."""
    import duckdb

    size = file_size(path)
    result = ReadResult(path=str(path), format="squid", size=size)
    con = duckdb.connect(":memory:")
    try:
        # As many threads as this process may use: DuckDB's own guess can see the host's cores, not the ones we got.
        con.execute(f"SET threads = {int(threads or cores())}")
        if progress:
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = false")
        failure: list[BaseException] = []
        rejects: list[bool] = []

        gz = is_gzip(path)

        def run() -> None:
            try:
                try:
                    con.execute(f"CREATE TEMP TABLE totals AS {_query(str(path), gz)}")
                except duckdb.InvalidInputException:
                    # A line the scanner cannot read (invalid UTF-8, over-long): read again, keeping rejected
                    # lines aside. Twice as slow, so only for the files that need it.
                    con.execute(f"CREATE OR REPLACE TEMP TABLE totals AS {_query(str(path), gz, rejects=True)}")
                    rejects.append(True)
            except BaseException as exc:  # reported in the calling thread
                failure.append(exc)

        worker = threading.Thread(target=run, name="mue-squid", daemon=True)
        worker.start()
        reported = 0
        while worker.is_alive():
            worker.join(0.2)
            if progress:
                try:
                    pct = con.query_progress()
                except Exception:  # the query may finish between the check and the call
                    pct = -1
                if pct and pct > 0:
                    done = int(size * min(pct, 100) / 100)
                    if done > reported:
                        progress(done - reported)
                        reported = done
        if failure:
            raise failure[0]
        if progress and size > reported:
            progress(size - reported)
        result.columns = Totals.from_duckdb(con, _ROWS)
        result.lines, result.malformed, samples = con.execute(_SUMMARY).fetchone()
        result.samples = [{"line": None, "reason": gettext_noop("not a Squid native line"), "text": text}
                          for text in (samples or [])[:MAX_SAMPLES]]
        # Lines the scanner itself rejected (invalid UTF-8, over-long lines): counted by the reject store.
        rejected = con.execute("SELECT count(*) FROM reject_errors").fetchone()[0] if rejects else 0
        if rejected:
            scans = con.execute("SELECT line, csv_line FROM reject_errors ORDER BY line LIMIT ?",
                                [MAX_SAMPLES]).fetchall()
            result.lines += rejected
            result.malformed += rejected
            for line, text in scans:
                if len(result.samples) < MAX_SAMPLES:
                    result.samples.append({"line": int(line), "reason": gettext_noop("unreadable line"),
                                           "text": (text or "")[:SAMPLE_CHARS]})
    finally:
        con.close()
    return result
