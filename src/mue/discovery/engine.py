"""From log files to usage per (service, user, day): read, match hosts, pseudonymise, aggregate.

Readers hand back totals per (day, raw user, authority), already much smaller than the logs; this module turns
each distinct authority into a host and a catalogue service (cached: a log has few distinct hosts) and each raw user
into its stored form (a keyed pseudonym unless names are allowed), then sums per (source, service, user, day).
Nothing here touches the database, so it is also what the benchmark measures end to end.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from mue.discovery.catalogue import Catalogue
from mue.discovery.privacy import Pseudonymiser, normalise_user
from mue.discovery.readers import SOURCE, read
from mue.discovery.readers.base import MAX_SAMPLES, Progress, host_of

# Second-level labels under which registrations happen (co.uk, com.au...): unknown hosts are summarised one
# level deeper there. A short list on purpose: the summary helps grow the catalogue, it is not the public suffix list.
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "gouv", "edu", "ac", "asso", "nom"}
UNKNOWN_TOP = 50


def registrable(host: str) -> str:
    """The domain a host was likely registered under (``a.b.example.co.uk`` -> ``example.co.uk``)."""
    try:
        ipaddress.ip_address(host)
        return "(IP address)"
    except ValueError:
        pass
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


def fingerprint(path: Path) -> str:
    """Identifies a file's content cheaply (size and first MiB), to warn when it is read a second time."""
    digest = hashlib.sha256(str(path.stat().st_size).encode())
    with path.open("rb") as fh:
        digest.update(fh.read(1 << 20))
    return digest.hexdigest()[:32]


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
    matched_requests: int = 0
    unmatched_requests: int = 0

    def top_unknown(self, limit: int = UNKNOWN_TOP) -> list[dict]:
        ranked = sorted(self.unknown.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        return [{"domain": d, "requests": v[0], "users": len(v[1])} for d, v in ranked]


def discover(paths: Iterable[Path], catalogue: Catalogue, pseudonymise: Pseudonymiser, fmt: str = "auto",
             mapping: str | None = None, progress: Progress | None = None, threads: int | None = None,
             on_file: Callable[[Path, str], None] | None = None) -> Discovery:
    """Read every file and aggregate its use of the catalogue's services."""
    result = Discovery()
    # authority -> (host, service id, registrable domain): a log has few distinct authorities, so each is matched
    # (and, when unknown, summarised) once, not once per (day, user) row.
    hosts: dict[str, tuple[str, str | None, str]] = {}
    users: dict[str, str] = {}  # raw user -> stored user
    for path in paths:
        path = Path(path)
        if on_file:
            on_file(path, fmt)
        read_result = read(path, fmt, mapping=mapping, progress=progress, threads=threads)
        source = SOURCE[read_result.format]
        result.files.append({"name": path.name, "path": str(path), "format": read_result.format,
                             "size": read_result.size, "lines": read_result.lines,
                             "malformed": read_result.malformed, "fingerprint": fingerprint(path)})
        result.lines += read_result.lines
        result.malformed += read_result.malformed
        result.bytes_read += read_result.size
        for sample in read_result.samples:
            if len(result.samples) < MAX_SAMPLES:
                result.samples.append({"file": path.name, **sample})
        usage, unknown = result.usage, result.unknown
        for day, raw_user, authority, requests, nbytes, first, last in read_result.rows:
            known = hosts.get(authority)
            if known is None:
                host = host_of(authority)
                sid = catalogue.match(host) if host else None
                domain = "" if sid is not None else registrable(host) if host else "(no host)"
                known = hosts[authority] = (host, sid, domain)
            user = users.get(raw_user)
            if user is None:
                user = users[raw_user] = pseudonymise(normalise_user(raw_user))
            service = known[1]
            if service is None:
                result.unmatched_requests += requests
                domain = known[2]
                cell = unknown.get(domain)
                if cell is None:
                    cell = unknown[domain] = [0, set()]
                cell[0] += requests
                if user:
                    cell[1].add(user)
                continue
            result.matched_requests += requests
            key = (source, service, user, day)
            cell = usage.get(key)
            if cell is None:
                usage[key] = [requests, nbytes, first, last]
            else:
                cell[0] += requests
                cell[1] += nbytes
                cell[2] = min(cell[2], first)
                cell[3] = max(cell[3], last)
    return result
