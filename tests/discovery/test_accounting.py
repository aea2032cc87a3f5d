"""Every line read ends in one place: matched, unknown, ignored with a reason, or malformed; the figures add up."""

from pathlib import Path

import pytest

from mue.discovery.catalogue import shipped
from mue.discovery.engine import discover, unaccounted
from mue.discovery.hosts import ignore_reason, registrable, shared_suffix
from mue.discovery.privacy import Pseudonymiser

ZEEK_HEADER = ("#separator \\x09\n#unset_field\t-\n#path\tssl\n"
               "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tserver_name\n"
               "#types\ttime\tstring\taddr\tport\taddr\tport\tstring\n")


def _zeek_ssl(path: Path, names: list[str]) -> Path:
    lines = [f"{1700000000 + i}.0\tC{i}\t10.0.0.{i % 7}\t5000{i % 10}\t203.0.113.1\t443\t{name}\n"
             for i, name in enumerate(names)]
    path.write_text(ZEEK_HEADER + "".join(lines))
    return path


@pytest.mark.parametrize("host, reason", [
    ("", "no host name"),
    ("192.168.1.20", "private or local address"),
    ("10.1.2.3", "private or local address"),
    ("fe80::1", "private or local address"),
    ("localhost", "private or local address"),
    ("20.1.168.192.in-addr.arpa", "reverse lookup (in-addr.arpa, ip6.arpa)"),
    ("_ipp._tcp.local", "multicast DNS (.local)"),
    ("printer.local", "multicast DNS (.local)"),
    ("wpad", "local name without a domain"),
    ("nas.home.arpa", "internal domain of the organization"),
    ("dc1.ad.mairie-valmont.fr", "internal domain of the organization"),
    ("www.mairie-valmont.fr", "internal domain of the organization"),
    ("8.8.8.8", None),
    ("app.slack.com", None),
])
def test_ignore_reasons(host, reason):
    assert ignore_reason(host, ("mairie-valmont.fr",)) == reason


def test_registrable_domains_come_from_the_public_suffix_list():
    assert registrable("a.b.example.co.uk") == "example.co.uk"
    assert registrable("www.service-public.gouv.fr") == "service-public.gouv.fr"
    assert registrable("me.github.io") == "me.github.io"  # the customer's site, not GitHub's
    assert registrable("192.0.2.1") == "(IP address)"
    assert shared_suffix("d111111abcdef8.cloudfront.net") == "cloudfront.net"
    assert shared_suffix("bucket.s3.amazonaws.com") == "s3.amazonaws.com"
    assert shared_suffix("www.slack.com") is None


def test_tls_log_without_server_names_adds_up(tmp_path):
    """A third of a real TLS log had no server name: each such line is counted as ignored, with its reason."""
    names = ["app.slack.com", "-", "www.dropbox.com", "-", "unknown-thing.example.net", "-",
             "192.168.1.1", "intranet.mairie-valmont.fr", "teams.microsoft.com", "-"]
    log = _zeek_ssl(tmp_path / "ssl.log", names)
    d = discover([log], shipped(), Pseudonymiser("k"), internal_domains=["mairie-valmont.fr"])
    acc = d.accounting
    assert acc["lines"] == 10
    assert acc["ignored"] == {"TLS connection without a server name (SNI)": 4, "private or local address": 1,
                              "internal domain of the organization": 1}
    assert (acc["matched"], acc["unknown"], acc["malformed"]) == (3, 1, 0)
    assert unaccounted(acc) == 0
    assert d.files[0]["accounting"] == acc


def test_dns_logs_count_replies_and_local_names(tmp_path, logs):
    log = tmp_path / "pihole.log"
    log.write_text("Nov 14 22:13:20 dnsmasq[812]: query[A] app.slack.com from 192.0.2.10\n"
                   "Nov 14 22:13:20 dnsmasq[812]: forwarded app.slack.com to 9.9.9.9\n"
                   "Nov 14 22:13:20 dnsmasq[812]: reply app.slack.com is 203.0.113.5\n"
                   "Nov 14 22:13:21 dnsmasq[812]: query[PTR] 10.2.0.192.in-addr.arpa from 192.0.2.10\n"
                   "Nov 14 22:13:22 dnsmasq[812]: query[A] imprimante.local from 192.0.2.11\n"
                   "Nov 14 22:13:23 dnsmasq[812]: query[A] wpad from 192.0.2.11\n"
                   "garbage\n")
    d = discover([log], shipped(), Pseudonymiser("k"))
    acc = d.accounting
    assert acc["ignored"] == {"not a query (reply, forwarded, cached, server message)": 2,
                              "reverse lookup (in-addr.arpa, ip6.arpa)": 1, "multicast DNS (.local)": 1,
                              "local name without a domain": 1}
    assert (acc["lines"], acc["matched"], acc["unknown"], acc["malformed"]) == (7, 1, 0, 1)
    assert unaccounted(acc) == 0


@pytest.mark.parametrize("name", ["squid_small.log", "squid_small.log.gz", "squid_plaso_access.log", "zeek_dns.log",
                                  "zeek_http.log", "zeek_ssl.log", "zeek_ssl.json", "pihole.log",
                                  "adguard_querylog.json", "unbound.log", "bind_query.log"])
def test_every_fixture_adds_up(logs, name):
    d = discover([logs / name], shipped(), Pseudonymiser("k"))
    assert d.accounting["lines"] > 0
    assert unaccounted(d.accounting) == 0, d.accounting


def test_csv_adds_up(logs):
    d = discover([logs / "sso_signins.csv"], shipped(), Pseudonymiser("k"),
                 mapping="timestamp=Date,user=UPN,host=Application URL,bytes=Bytes")
    assert d.accounting["lines"] > 0
    assert unaccounted(d.accounting) == 0, d.accounting
