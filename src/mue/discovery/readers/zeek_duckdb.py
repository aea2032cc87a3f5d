"""Zeek TSV logs through DuckDB: the common case (one ``#fields`` header block) read by a query, not a Python loop.

The file is read as one column of whole lines (as the Squid reader does), split on the log's separator, and the
needed columns are taken by position from the ``#fields`` header; DuckDB's parallel scan and hash aggregation give
the totals per (day, user, host). The counts are the line reader's: data lines read, lines without a host (ignored,
with the reason), lines with another number of fields or no valid time (malformed, sampled without line numbers).
A file this query cannot read the same way (several header blocks, as concatenated logs have; JSON records) returns
None: :func:`mue.discovery.readers.zeek.read_zeek` reads it line by line.
"""

from __future__ import annotations

from pathlib import Path

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
    sql_literal,
)
from mue.discovery.readers.zeek import first_header


def read_zeek_duckdb(path: Path, fmt: str, host_field: str, no_host: str,
                     progress: Progress | None = None) -> ReadResult | None:
    """Aggregate a Zeek TSV log with a single header block, or None when the line reader must read it."""
    import duckdb

    header = first_header(path, host_field, no_host)
    if header is None:
        return None
    state, _lines = header
    separator, fields, unset = state.separator, state.fields, state.unset
    where = {name: i + 1 for i, name in enumerate(fields)}  # DuckDB lists count from 1
    if "ts" not in where:
        return None

    def column(name: str) -> str:
        return f"l[{where[name]}]" if name in where else "NULL"

    unset_list = ", ".join(sql_literal(u) for u in sorted(unset))
    user = column("username")
    orig = column("id.orig_h")
    who = (f"CASE WHEN {user} IS NULL OR {user} IN ({unset_list}) THEN coalesce({orig}, '') ELSE {user} END"
           if "username" in where else f"coalesce({orig}, '')")
    # As zeek.py's _int: a count that is not a whole number from 0 to 10**18 - 1 counts as 0.
    nbytes = " + ".join(f"coalesce(CASE WHEN TRY_CAST({column(c)} AS BIGINT) BETWEEN 0 AND {10**18 - 1} "
                        f"THEN TRY_CAST({column(c)} AS BIGINT) END, 0)" for c in
                        ("response_body_len", "request_body_len") if c in where) or "0"
    source = duckdb_lines(str(path), is_gzip(path))
    query = f"""
    WITH s AS (SELECT line FROM {source} WHERE line IS NOT NULL AND trim(line) <> ''),
    h AS (SELECT line, starts_with(line, '#') AS hdr, starts_with(ltrim(line), '{{') AS js FROM s),
    d AS (SELECT line, hdr, js, string_split(line, {sql_literal(separator)}) AS l FROM h),
    r AS (SELECT line, hdr, js, len(l) = {len(fields)} AS shaped, TRY_CAST({column('ts')} AS DOUBLE) AS ts,
                 {column(host_field)} AS host, {who} AS who, {nbytes} AS nb FROM d),
    k AS (SELECT *, CASE WHEN hdr OR js THEN 'skip' WHEN NOT shaped THEN 'fields'
                         WHEN ts IS NULL OR NOT isfinite(ts) THEN 'ts'
                         WHEN host IS NULL OR host IN ({unset_list}) THEN 'nohost' ELSE 'ok' END AS kind FROM r)
    SELECT kind, CASE WHEN kind = 'ok' THEN floor(ts / 86400)::INT END AS day, who, host, count(*) AS n,
           sum(nb)::BIGINT AS nb, min(ts), max(ts),
           count(*) FILTER (WHERE starts_with(line, '#fields')) AS fields_headers,
           count(*) FILTER (WHERE js) AS json_lines,
           list(left(line, {SAMPLE_CHARS})) FILTER (WHERE kind IN ('fields', 'ts')) [1:{MAX_SAMPLES}] AS samples
    FROM k GROUP BY ALL
    """
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"SET threads = {int(cores())}")
        con.execute(f"CREATE TEMP TABLE totals AS {query}")
        headers, json_lines = con.execute("SELECT sum(fields_headers), sum(json_lines) FROM totals").fetchone()
        if (headers or 0) > 1 or (json_lines or 0) > 0:
            return None  # concatenated logs or JSON records: the line reader handles them
        result = ReadResult(path=str(path), format=fmt, size=file_size(path))
        result.columns = Totals.from_duckdb(con, "SELECT day, who, host, n, nb, \"min(ts)\", \"max(ts)\" FROM totals "
                                                 "WHERE kind = 'ok'")
        counts = dict(con.execute("SELECT kind, sum(n) FROM totals GROUP BY kind").fetchall())
        result.lines = int(sum(n for kind, n in counts.items() if kind != "skip"))
        if counts.get("nohost"):
            result.ignore(no_host, int(counts["nohost"]))
        reasons = {"fields": gettext_noop("not as many fields as the #fields header announces"),
                   "ts": gettext_noop("no valid ts")}
        for kind, samples in con.execute("SELECT kind, flatten(list(samples)) FROM totals "
                                         "WHERE kind IN ('fields', 'ts') GROUP BY kind ORDER BY kind").fetchall():
            result.malformed += int(counts[kind])
            for text in samples or []:
                if len(result.samples) < MAX_SAMPLES:
                    result.samples.append({"line": None, "reason": reasons[kind], "text": text})
    finally:
        con.close()
    if progress:
        progress(file_size(path))
    return result
