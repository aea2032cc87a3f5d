"""Squid's native access.log, read by DuckDB: its parallel CSV scanner and hash aggregation do the heavy work.

A native line is ``time.ms elapsed client code/status bytes method URL user hierarchy/peer type``; the elapsed field
is right-aligned on six characters, so a line holds one to six spaces after the time. The scanner splits on single
spaces, the padding lands in empty leading columns, and ``off`` (how many) says where the real fields start.
The user is the authenticated user, or the client address when the proxy does not authenticate.
Malformed lines (too few fields, a time or size that is not a number, no status code) are counted and sampled.
"""

from __future__ import annotations

import threading
from pathlib import Path

from mue.discovery.readers.base import MAX_SAMPLES, SAMPLE_CHARS, Progress, ReadResult, file_size, is_gzip

_COLUMNS = 14  # 10 fields + up to 5 padding columns, the extra ones are ignored
_PADDING = 6


def _pick(k: int) -> str:
    cases = " ".join(f"WHEN {j} THEN c{k + j}" for j in range(_PADDING) if k + j < _COLUMNS)
    return f"(CASE off {cases} END)"


def _query(path: str, gz: bool, rejects: bool = False) -> str:
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(_COLUMNS))
    source = (f"read_csv({_literal(path)}, delim=' ', header=false, quote='', escape='', auto_detect=false, "
              f"columns={{{columns}}}, null_padding=true, strict_mode=false, max_line_size=1048576, "
              f"{'ignore_errors=true, store_rejects=true, ' if rejects else ''}"
              f"compression='{'gzip' if gz else 'none'}')")
    off = " + ".join(f"(c{i} IS NULL)::INT" for i in range(1, _PADDING))
    return f"""
    WITH a AS (SELECT *, {off} AS off FROM {source}),
    b AS (SELECT TRY_CAST(c0 AS DOUBLE) AS ts, {_pick(2)} AS client,
                 TRY_CAST({_pick(4)} AS BIGINT) AS nbytes, {_pick(6)} AS url, {_pick(7)} AS usr,
                 {", ".join(f"c{i}" for i in range(_COLUMNS))} FROM a),
    c AS (SELECT *, (ts IS NULL OR nbytes IS NULL OR usr IS NULL) AS bad FROM b),
    d AS (SELECT bad,
                 CASE WHEN bad THEN NULL ELSE floor(ts / 86400)::INT END AS day,
                 CASE WHEN bad THEN NULL WHEN usr = '-' THEN client ELSE usr END AS who,
                 CASE WHEN bad THEN NULL WHEN contains(url, '://') THEN split_part(url, '/', 3) ELSE url END AS auth,
                 ts, nbytes,
                 CASE WHEN bad THEN concat_ws(' ', {", ".join(f"c{i}" for i in range(_COLUMNS))}) END AS raw FROM c)
    SELECT bad, day, who, auth, count(*) AS n, sum(nbytes) AS nb, min(ts) AS first, max(ts) AS last,
           min(left(raw, {SAMPLE_CHARS}), {MAX_SAMPLES}) FILTER (WHERE bad) AS samples
    FROM d GROUP BY bad, day, who, auth
    """


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_squid(path: Path, progress: Progress | None = None, threads: int | None = None) -> ReadResult:
    """Aggregate a Squid native access.log (plain or gzip) with DuckDB."""
    import duckdb

    size = file_size(path)
    result = ReadResult(path=str(path), format="squid", size=size)
    con = duckdb.connect(":memory:")
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if progress:
            con.execute("SET enable_progress_bar = true")
            con.execute("SET enable_progress_bar_print = false")
        rows: list = []
        failure: list[BaseException] = []
        rejects: list[bool] = []

        gz = is_gzip(path)

        def run() -> None:
            try:
                try:
                    rows.extend(con.execute(_query(str(path), gz)).fetchall())
                except duckdb.InvalidInputException:
                    # A line the scanner cannot read (invalid UTF-8, over-long): read again, keeping rejected
                    # lines aside. Twice as slow, so only for the files that need it.
                    rows.clear()
                    rows.extend(con.execute(_query(str(path), gz, rejects=True)).fetchall())
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
        for bad, day, who, auth, n, nb, first, last, samples in rows:
            result.lines += n
            if bad:
                result.malformed += n
                for text in samples or []:
                    if len(result.samples) < MAX_SAMPLES:
                        result.samples.append({"line": None, "reason": "not a Squid native line", "text": text})
            else:
                result.rows.append((day, who, auth or "", n, int(nb or 0), first, last))
        # Lines the scanner itself rejected (invalid UTF-8, over-long lines): counted by the reject store.
        rejected = con.execute("SELECT count(*) FROM reject_errors").fetchone()[0] if rejects else 0
        if rejected:
            scans = con.execute("SELECT line, csv_line FROM reject_errors ORDER BY line LIMIT ?",
                                [MAX_SAMPLES]).fetchall()
            result.lines += rejected
            result.malformed += rejected
            for line, text in scans:
                if len(result.samples) < MAX_SAMPLES:
                    result.samples.append({"line": int(line), "reason": "unreadable line",
                                           "text": (text or "")[:SAMPLE_CHARS]})
    finally:
        con.close()
    return result
