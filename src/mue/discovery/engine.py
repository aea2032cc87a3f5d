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

import numpy as np

from mue.discovery.catalogue import Catalogue
from mue.discovery.hosts import ignore_reason, registrable
from mue.discovery.privacy import Pseudonymiser, normalise_user
from mue.discovery.readers import SOURCE, read
from mue.discovery.readers.base import MAX_SAMPLES, Progress, Totals, group_starts, host_of

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
    internal = frozenset(d.lower().strip(".") for d in internal_domains if d.strip("."))
    folder = _Folder(catalogue, pseudonymise, internal, result)
    total = result.accounting
    for path in paths:
        path = Path(path)
        if on_file:
            on_file(path, fmt)
        read_result = read(path, fmt, mapping=mapping, progress=progress, threads=threads)
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
        folder.fold(read_result.totals(), SOURCE[read_result.format], accounting)
        for key in ("lines", "matched", "unknown", "malformed"):
            total[key] += accounting[key]
        for reason, n in accounting["ignored"].items():
            _add_ignored(total, reason, n)
    result.matched_requests, result.unmatched_requests = total["matched"], total["unknown"]
    for cell in result.unknown.values():  # blank users (a log line without one) are not counted as users
        cell[1].discard("")
    return result


_MATCHED, _UNKNOWN, _IGNORED = 0, 1, 2


class _Folder:
    """Folds one file's totals into a :class:`Discovery`, with the classifications of the files before it.

    Each distinct authority is classified once for the whole run (a catalogue service, an unknown registrable
    domain, or ignored with a reason) and each distinct raw user pseudonymised once; the totals themselves are
    grouped as arrays (numpy), never looped over in Python: only their groups are — usage per (service, user,
    day), requests per unknown domain and per ignore reason, distinct (unknown domain, user) pairs.
    """

    def __init__(self, catalogue: Catalogue, pseudonymise: Pseudonymiser, internal: frozenset[str],
                 result: Discovery) -> None:
        self.catalogue, self.pseudonymise, self.internal, self.result = catalogue, pseudonymise, internal, result
        # authority -> (kind, service id, unknown domain or ignore reason): a log has few distinct authorities
        self.hosts: dict[str, tuple[int, str | None, str | None]] = {}
        self.users: dict[str, str] = {}  # raw user -> stored user

    def _classify(self, authority: str) -> tuple[int, str | None, str | None]:
        known = self.hosts.get(authority)
        if known is None:
            host = host_of(authority)
            reason = ignore_reason(host, self.internal)
            if reason is not None:
                known = (_IGNORED, None, reason)
            else:
                sid = self.catalogue.match(host)
                known = (_MATCHED, sid, None) if sid is not None else (_UNKNOWN, None, registrable(host))
            self.hosts[authority] = known
        return known

    def _stored(self, raw_user: str) -> str:
        user = self.users.get(raw_user)
        if user is None:
            user = self.users[raw_user] = self.pseudonymise(normalise_user(raw_user))
        return user

    def fold(self, totals: Totals, source: str, accounting: dict) -> None:
        if not len(totals.requests):
            return
        classes = [self._classify(a) for a in totals.authorities]
        kind = np.fromiter((c[0] for c in classes), np.int8, len(classes))[totals.authority]
        # Per authority, the index of its service, unknown domain or ignore reason in the names below.
        names: dict[int, dict[str, int]] = {_MATCHED: {}, _UNKNOWN: {}, _IGNORED: {}}
        code = np.fromiter((names[c[0]].setdefault(c[1] if c[0] == _MATCHED else c[2], len(names[c[0]]))
                            for c in classes), np.int32, len(classes))[totals.authority]
        stored_names: dict[str, int] = {}
        stored = np.fromiter((stored_names.setdefault(self._stored(u), len(stored_names)) for u in totals.users),
                             np.int32, len(totals.users))[totals.user]
        requests = totals.requests.astype(np.int64, copy=False)

        ignored = kind == _IGNORED
        if ignored.any():
            reasons = list(names[_IGNORED])
            for i, n in _sums(code[ignored], requests[ignored]):
                _add_ignored(accounting, reasons[i], n)

        matched = kind == _MATCHED
        accounting["matched"] = int(requests[matched].sum())
        if matched.any():
            services, users = list(names[_MATCHED]), list(stored_names)
            service, user, day = code[matched], stored[matched], totals.day[matched]
            order = _group_order(service, user, day)
            service, user, day = service[order], user[order], day[order]
            starts = group_starts(service, user, day)
            sums = [np.add.reduceat(requests[matched][order], starts),
                    np.add.reduceat(totals.nbytes.astype(np.int64)[matched][order], starts),
                    np.minimum.reduceat(totals.first[matched][order], starts),
                    np.maximum.reduceat(totals.last[matched][order], starts)]
            usage = self.result.usage
            groups = zip(service[starts].tolist(), user[starts].tolist(), day[starts].tolist(),
                         *(a.tolist() for a in sums), strict=True)
            if not usage:  # the first file: every group is a new cell (groups are distinct)
                usage.update(((source, services[s_], users[u], d), [n, b, first, last])
                             for s_, u, d, n, b, first, last in groups)
                groups = ()
            for s_, u, d, n, b, first, last in groups:
                cell_key = (source, services[s_], users[u], d)
                cell = usage.get(cell_key)
                if cell is None:
                    usage[cell_key] = [n, b, first, last]
                else:
                    cell[0] += n
                    cell[1] += b
                    cell[2] = min(cell[2], first)
                    cell[3] = max(cell[3], last)

        unknown = kind == _UNKNOWN
        accounting["unknown"] = int(requests[unknown].sum())
        if unknown.any():
            domains, users = list(names[_UNKNOWN]), list(stored_names)
            cells = self.result.unknown
            for i, n in _sums(code[unknown], requests[unknown]):
                cell = cells.get(domains[i])
                if cell is None:
                    cell = cells[domains[i]] = [0, set()]
                cell[0] += n
            for d, u in _distinct_pairs(code[unknown], stored[unknown], len(domains), len(users)):
                cells[domains[d]][1].add(users[u])


def _sums(codes: np.ndarray, values: np.ndarray) -> list[tuple[int, int]]:
    """(code, sum of its values) for each code present, in code order, exactly: the codes are small integers
    (indexes into a list of names), so a count per code (``bincount``) needs no sort; its float64 sums are exact
    while the total stays under 2**53, else the values are sorted and added as integers."""
    if len(values) and int(values.sum()) < 2**53 and values.min() >= 0:
        sums = np.bincount(codes, weights=values)
        present = np.flatnonzero(np.bincount(codes, minlength=len(sums)))
        return list(zip(present.tolist(), sums[present].astype(np.int64).tolist(), strict=True))
    order = np.argsort(codes, kind="stable")
    codes, values = codes[order], values[order]
    starts = group_starts(codes)
    return list(zip(codes[starts].tolist(), np.add.reduceat(values, starts).tolist(), strict=True))


_FLAT_LIMIT = 1 << 26  # cells of a (code, user) presence table: 64 MB of booleans at most


def _distinct_pairs(codes: np.ndarray, users: np.ndarray, n_codes: int, n_users: int) -> list[tuple[int, int]]:
    """The distinct (code, user) pairs, in (code, user) order: a presence table when it is small, else a sort of
    one combined key (both are indexes into short lists)."""
    key = codes.astype(np.int64) * n_users + users
    if n_codes * n_users <= _FLAT_LIMIT:
        seen = np.zeros(n_codes * n_users, dtype=bool)
        seen[key] = True
        key = np.flatnonzero(seen)
    else:
        key = np.unique(key)
    return list(zip((key // n_users).tolist(), (key % n_users).tolist(), strict=True))


def _group_order(service: np.ndarray, user: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The order that sorts the totals by (service, user, day): one sort of a combined integer key (service and
    user are indexes, days span a few years at most), or ``lexsort`` of the three when it would not fit."""
    if not len(day):
        return np.arange(0)
    low = int(day.min())
    span = int(day.max()) - low + 1
    n_users = int(user.max()) + 1
    if (int(service.max()) + 1) * n_users * span < 2**62:
        key = (service.astype(np.int64) * n_users + user) * span + (day.astype(np.int64) - low)
        return np.argsort(key, kind="stable")
    return np.lexsort((day, user, service))
