"""From log files to usage per (service, user, day): read, classify hosts, pseudonymise, aggregate.

Readers hand back totals per (day, raw user, authority), already much smaller than the logs, and count the lines
they skip with a reason (a TLS session without a server name, a DNS reply). This module turns each distinct
authority into a host and classifies it once (cached: a log has few distinct hosts): a catalogue service, an
unknown domain, or ignored with a reason (a private address, a reverse lookup, an internal domain...). Each raw user
becomes its stored form (a keyed pseudonym unless names are allowed); usage is summed per (source, service, user,
day). Every line read ends in exactly one place, so the accounting adds up to the lines read.
Nothing here touches the database, so it is also what the benchmark measures.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mue.discovery.catalogue import Catalogue
from mue.discovery.hosts import ignore_reason, registrable
from mue.discovery.privacy import Pseudonymiser, normalise_user
from mue.discovery.readers import SOURCE, read
from mue.discovery.readers.base import MAX_SAMPLES, Progress, host_of

UNKNOWN_TOP = 50

__all__ = ["UNKNOWN_TOP", "Discovery", "discover", "fingerprint", "registrable"]


def fingerprint(path: Path) -> str:
    """Identifies a file's content cheaply (size and first MiB), to warn when it is read a second time."""
    digest = hashlib.sha256(str(path.stat().st_size).encode())
    with path.open("rb") as fh:
        digest.update(fh.read(1 << 20))
    return digest.hexdigest()[:32]


def _accounting(lines: int = 0, malformed: int = 0) -> dict:
    return {"lines": lines, "matched": 0, "unknown": 0, "ignored": {}, "malformed": malformed}


def _add_ignored(accounting: dict, reason: str, n: int) -> None:
    accounting["ignored"][reason] = accounting["ignored"].get(reason, 0) + n


def unaccounted(accounting: dict) -> int:
    """Lines read that are neither matched, unknown, ignored nor malformed: zero unless a reader miscounts."""
    return (accounting["lines"] - accounting["matched"] - accounting["unknown"] - accounting["malformed"]
            - sum(accounting["ignored"].values()))


@dataclass
class Discovery:
    """Everything a run learned, ready to be stored."""

    files: list[dict] = field(default_factory=list)
    lines: int = 0
    malformed: int = 0
    bytes_read: int = 0
    samples: list[dict] = field(default_factory=list)
    # (source, service id, stored user, day number) -> [requests, bytes, first ts, last ts]
    usage: dict[tuple[str, str, str, int], list] = field(default_factory=dict)
    unknown: dict[str, list] = field(default_factory=dict)  # registrable domain -> [requests, set of users]
    accounting: dict = field(default_factory=_accounting)
    matched_requests: int = 0
    unmatched_requests: int = 0

    def unknown_domains(self, limit: int | None = None) -> list[dict]:
        """Unknown registrable domains, most requested first (all of them without a limit)."""
        ranked = sorted(self.unknown.items(), key=lambda kv: (-kv[1][0], kv[0]))
        if limit is not None:
            ranked = ranked[:limit]
        return [{"domain": d, "requests": v[0], "users": len(v[1])} for d, v in ranked]

    def top_unknown(self, limit: int = UNKNOWN_TOP) -> list[dict]:
        return self.unknown_domains(limit)


def discover(paths: Iterable[Path], catalogue: Catalogue, pseudonymise: Pseudonymiser, fmt: str = "auto",
             mapping: str | None = None, progress: Progress | None = None, threads: int | None = None,
             on_file: Callable[[Path, str], None] | None = None,
             internal_domains: Iterable[str] = ()) -> Discovery:
    """Read every file and aggregate its use of the catalogue's services.

    ``internal_domains``: the organization's own domain suffixes; hosts under them are ignored (not unknown).
    """
    result = Discovery()
    internal = tuple(d.lower().strip(".") for d in internal_domains if d.strip("."))
    # authority -> (service id or None, unknown domain or None, ignore reason or None): a log has few distinct
    # authorities, so each is classified once, not once per (day, user) row.
    hosts: dict[str, tuple[str | None, str | None, str | None]] = {}
    users: dict[str, str] = {}  # raw user -> stored user
    total = result.accounting
    for path in paths:
        path = Path(path)
        if on_file:
            on_file(path, fmt)
        read_result = read(path, fmt, mapping=mapping, progress=progress, threads=threads)
        source = SOURCE[read_result.format]
        accounting = _accounting(read_result.lines, read_result.malformed)
        for reason, n in read_result.ignored.items():
            _add_ignored(accounting, reason, n)
        result.files.append({"name": path.name, "path": str(path), "format": read_result.format,
                             "size": read_result.size, "lines": read_result.lines,
                             "malformed": read_result.malformed, "fingerprint": fingerprint(path),
                             "accounting": accounting})
        result.lines += read_result.lines
        result.malformed += read_result.malformed
        result.bytes_read += read_result.size
        for sample in read_result.samples:
            if len(result.samples) < MAX_SAMPLES:
                result.samples.append({"file": path.name, **sample})
        usage, unknown = result.usage, result.unknown
        ignored = accounting["ignored"]
        matched_requests = unknown_requests = 0
        for day, raw_user, authority, requests, nbytes, first, last in read_result.rows:
            known = hosts.get(authority)
            if known is None:
                host = host_of(authority)
                reason = ignore_reason(host, internal)
                if reason is not None:
                    known = (None, None, reason)
                else:
                    sid = catalogue.match(host)
                    known = (sid, None if sid is not None else registrable(host), None)
                hosts[authority] = known
            service, domain, reason = known
            if reason is not None:
                ignored[reason] = ignored.get(reason, 0) + requests
                continue
            if service is None:
                # Most rows of a large log are unknown hosts: keep the raw user (its stored form is computed
                # once per distinct user at the end), one dictionary look-up fewer per row.
                unknown_requests += requests
                cell = unknown.get(domain)
                if cell is None:
                    cell = unknown[domain] = [0, set()]
                cell[0] += requests
                cell[1].add(raw_user)
                continue
            user = users.get(raw_user)
            if user is None:
                user = users[raw_user] = pseudonymise(normalise_user(raw_user))
            matched_requests += requests
            key = (source, service, user, day)
            cell = usage.get(key)
            if cell is None:
                usage[key] = [requests, nbytes, first, last]
            else:
                cell[0] += requests
                cell[1] += nbytes
                cell[2] = min(cell[2], first)
                cell[3] = max(cell[3], last)
        accounting["matched"], accounting["unknown"] = matched_requests, unknown_requests
        for key in ("lines", "matched", "unknown", "malformed"):
            total[key] += accounting[key]
        for reason, n in accounting["ignored"].items():
            _add_ignored(total, reason, n)
    result.matched_requests, result.unmatched_requests = total["matched"], total["unknown"]
    for cell in result.unknown.values():  # raw users -> stored users (distinct after normalisation), blanks out
        stored = set()
        for raw_user in cell[1]:
            user = users.get(raw_user)
            if user is None:
                user = users[raw_user] = pseudonymise(normalise_user(raw_user))
            if user:
                stored.add(user)
        cell[1] = stored
    return result
