"""The engine's fold of a file's totals (arrays, numpy) against the plain loop it replaced, and the columns' helpers."""

import random

import numpy as np

from mue.discovery.catalogue import shipped
from mue.discovery.engine import Discovery, _accounting, _Folder
from mue.discovery.hosts import ignore_reason, registrable
from mue.discovery.privacy import Pseudonymiser, normalise_user
from mue.discovery.readers.base import Totals, host_of

HOSTS = ["www.dropbox.com:443", "slack.com", "docs.google.com", "unknown-site.example.net", "a.b.unknown-site.fr",
         "10.0.0.5", "printer.local", "intranet.valmont.fr", "", "1.2.3.4.in-addr.arpa", "fe80::1%eth0",
         "8.8.8.8", "zoom.us:443", "cdn.other-unknown.io"]
USERS = ["alice", "BOB", "bob", "", "carol@valmont.fr", "10.0.0.9", "Dave"]


def _rows(seed: int, count: int) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        first = 1_700_000_000 + rng.random() * 5 * 86400
        rows.append((int(first // 86400), rng.choice(USERS), rng.choice(HOSTS), rng.randint(1, 50),
                     rng.randint(0, 10**12), first, first + rng.random() * 3600))
    return rows


def _reference(rows: list[tuple], catalogue, pseudonymise, internal: tuple[str, ...]) -> tuple[dict, dict, dict]:
    """The per-row loop the fold replaced: usage per (source, service, user, day), unknown domains, accounting."""
    usage, unknown, accounting = {}, {}, _accounting()
    for day, raw_user, authority, requests, nbytes, first, last in rows:
        host = host_of(authority)
        reason = ignore_reason(host, internal)
        if reason is not None:
            accounting["ignored"][reason] = accounting["ignored"].get(reason, 0) + requests
            continue
        sid = catalogue.match(host)
        user = pseudonymise(normalise_user(raw_user))
        if sid is None:
            accounting["unknown"] += requests
            cell = unknown.setdefault(registrable(host), [0, set()])
            cell[0] += requests
            if user:
                cell[1].add(user)
            continue
        accounting["matched"] += requests
        cell = usage.setdefault(("squid", sid, user, day), [0, 0, first, last])
        cell[0] += requests
        cell[1] += nbytes
        cell[2], cell[3] = min(cell[2], first), max(cell[3], last)
    return usage, unknown, accounting


def _fold(parts: list[list[tuple]], catalogue, pseudonymise, internal) -> tuple[dict, dict, dict]:
    result = Discovery()
    folder = _Folder(catalogue, pseudonymise, internal, result)
    accounting = _accounting()
    for rows in parts:  # several files of one run: their folds add up
        file_accounting = _accounting()
        folder.fold(Totals.from_rows(rows), "squid", file_accounting)
        for key in ("matched", "unknown"):
            accounting[key] += file_accounting[key]
        for reason, n in file_accounting["ignored"].items():
            accounting["ignored"][reason] = accounting["ignored"].get(reason, 0) + n
    for cell in result.unknown.values():
        cell[1].discard("")
    return result.usage, result.unknown, accounting


def test_the_fold_gives_what_the_per_row_loop_gave():
    catalogue, internal = shipped(), ("valmont.fr",)
    for seed, allow_names in ((1, False), (2, True)):
        pseudonymise = Pseudonymiser("key", allow_names=allow_names)
        rows = _rows(seed, 3000)
        expected = _reference(rows, catalogue, pseudonymise, internal)
        assert _fold([rows[:1000], rows[1000:]], catalogue, pseudonymise, internal) == expected
        assert expected[0] and expected[1] and expected[2]["ignored"]  # every branch taken


def test_totals_of_several_scanners_concatenated_then_grouped():
    rows = _rows(3, 2000)
    a, b = Totals.from_rows(rows[:1200]), Totals.from_rows(rows[800:])  # 400 rows in both: same keys twice
    both = Totals.concat([a, b])
    assert len(both.requests) == 2000 + 400
    grouped = {}
    for day, user, authority, n, nbytes, first, last in rows[:1200] + rows[800:]:
        cell = grouped.setdefault((day, user, authority), [0, 0, first, last])
        cell[0] += n
        cell[1] += nbytes
        cell[2], cell[3] = min(cell[2], first), max(cell[3], last)
    assert sorted(both.grouped().rows()) == sorted((*k, *v) for k, v in grouped.items())
    assert both.user.dtype == np.uint32 and len(both.users) == len(set(USERS))


def test_addresses_are_told_from_names_without_parsing_names():
    assert ignore_reason("fe80::1%eth0") is not None and ignore_reason("192.168.1.20") is not None
    assert ignore_reason("8.8.8.8") is None and registrable("8.8.8.8") == "(IP address)"
    assert ignore_reason("cafe.be") is None and registrable("www.cafe.be") == "cafe.be"
