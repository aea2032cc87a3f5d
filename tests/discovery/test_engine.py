"""Matching, pseudonymisation and aggregation on a small hand-computed log."""

import datetime as dt

from mue.discovery.catalogue import shipped
from mue.discovery.engine import discover, registrable
from mue.discovery.privacy import Pseudonymiser

DAY1 = (dt.date(2023, 11, 14) - dt.date(1970, 1, 1)).days


def test_aggregation_per_service_user_day_with_names(logs):
    d = discover([logs / "squid_small.log"], shipped(), Pseudonymiser("k", allow_names=True))
    assert (d.lines, d.malformed) == (10, 2)
    usage = {k[1:]: v for k, v in d.usage.items()}
    # alice: CONNECT app.slack.com (1000) + GET files.slack.com (500) on day 1, CONNECT (300) on day 2
    assert usage[("slack", "alice", DAY1)][:2] == [2, 1500]
    assert usage[("slack", "alice", DAY1)][2:] == [1700000000.0, 1700000100.5]
    assert usage[("slack", "alice", DAY1 + 1)][:2] == [1, 300]
    assert usage[("slack", "bob", DAY1)][:2] == [1, 2000]  # CORP\bob normalised
    assert usage[("dropbox", "carol@example.org", DAY1)][:2] == [1, 4000]
    assert usage[("microsoft-teams", "dave", DAY1)][:2] == [1, 50]
    assert {k[0] for k in d.usage} == {"proxy"}
    assert d.matched_requests == 6 and d.unmatched_requests == 2
    assert d.top_unknown() == [{"domain": "example.net", "requests": 2, "users": 1}]


def test_pseudonymised_users_are_keyed_hashes(logs):
    d1 = discover([logs / "squid_small.log"], shipped(), Pseudonymiser("key-1"))
    d2 = discover([logs / "squid_small.log"], shipped(), Pseudonymiser("key-2"))
    users1 = {k[2] for k in d1.usage}
    assert not users1 & {"alice", "bob", "carol@example.org", "dave"}
    assert all(u.startswith("u-") for u in users1)
    assert users1 == {Pseudonymiser("key-1")(n) for n in ("alice", "bob", "carol@example.org", "dave")}
    assert users1.isdisjoint({k[2] for k in d2.usage})


def test_registrable():
    assert registrable("a.b.example.co.uk") == "example.co.uk"
    assert registrable("cdn.example.net") == "example.net"
    assert registrable("192.0.2.1") == "(IP address)"
