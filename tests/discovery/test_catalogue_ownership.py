"""The catalogue claims no other company's domains, and never calls an ad network or a CDN an application."""

import json
from collections import defaultdict

import pytest

from mue.discovery.build_support import shared_suffix_samples
from mue.discovery.catalogue import DATA_FILE, shipped
from mue.discovery.catalogue.build import OWN_PRIVATE_SUFFIXES
from mue.discovery.catalogue.ownership import load
from mue.discovery.hosts import registered_domain

DOCUMENT = json.loads(DATA_FILE.read_text(encoding="utf-8"))
SERVICES = DOCUMENT["services"]
# A vendor in parentheses groups several companies (ad networks whose owner v2fly does not say, consent banners,
# public script CDNs): never an application, and no company to check the domains against.
def _grouped(vendor: str) -> bool:
    return vendor.startswith("(")


def _portfolio(ownership, vendor: str) -> set[str]:
    portfolios = DOCUMENT["vendor_portfolios"]
    return {d for v in ownership.family(vendor) for d in portfolios.get(v.name, [])} | set(portfolios.get(vendor, []))


def test_every_domain_belongs_to_its_vendor_or_a_subsidiary():
    """Each domain's registered part is the vendor's: a brand of it or a subsidiary, a domain listed for it, or one
    of its own portfolio lists."""
    ownership = load()
    foreign = []
    for s in SERVICES:
        if _grouped(s["vendor"]):
            continue
        portfolio = _portfolio(ownership, s["vendor"])
        for domain in s["domains"]:
            if not ownership.owns(s["vendor"], domain.lstrip("="), extra_names=(s["name"],), portfolio=portfolio):
                foreign.append(f"{s['id']} ({s['vendor']}): {domain}")
    assert foreign == []


def test_no_registered_domain_belongs_to_two_unrelated_vendors():
    ownership = load()
    vendors = defaultdict(set)
    for s in SERVICES:
        if _grouped(s["vendor"]):
            continue
        for domain in s["domains"]:
            vendors[registered_domain(domain.lstrip("="))].add(s["vendor"])
    clashes = {}
    for domain, names in vendors.items():
        names = sorted(names)
        if any(not ownership.related(a, b) for i, a in enumerate(names) for b in names[i + 1:]):
            clashes[domain] = names
    assert clashes == {}


@pytest.mark.parametrize("suffix", ["cloudfront.net", "s3.amazonaws.com", "appspot.com", "azurewebsites.net",
                                    "herokuapp.com", "github.io", "netlify.app", "vercel.app", "pages.dev",
                                    "blogspot.com", "firebaseapp.com", "gitlab.io", "akamaized.net", "edgesuite.net",
                                    "azureedge.net", "blob.core.windows.net", "storage.googleapis.com"])
def test_shared_hosting_is_never_an_application(suffix):
    cat = shipped()
    sid = cat.match(f"customer-site.{suffix}")
    assert sid is not None and cat.get(sid).kind == "cdn", (suffix, sid)


def test_no_public_suffix_list_private_suffix_is_an_application():
    """Every private suffix of the Public Suffix List (shared hosting) is unknown or a CDN, never an application
    (except the few a vendor listed to isolate its own services' cookies, like ``googleapis.com``)."""
    cat = shipped()
    wrong = []
    for suffix in shared_suffix_samples():
        if suffix in OWN_PRIVATE_SUFFIXES:
            continue
        sid = cat.match(f"customer-site.{suffix}")
        if sid is not None and cat.get(sid).kind == "application":
            wrong.append(f"{suffix} -> {sid}")
    assert wrong == []


@pytest.mark.parametrize("domain", ["doubleclick.net", "googlesyndication.com", "criteo.com", "taboola.com",
                                    "outbrain.com", "inmobi.com", "kochava.com", "agkn.com", "adnxs.com",
                                    "scorecardresearch.com", "amazon-adsystem.com", "smartadserver.com",
                                    "demdex.net", "bluekai.com", "appsflyer.com", "mobilefuse.com"])
def test_advertising_and_tracking_networks_are_never_applications(domain):
    cat = shipped()
    sid = cat.match(f"x.{domain}")
    assert sid is not None and cat.get(sid).kind == "advertising", (domain, sid)


def test_every_advertising_domain_of_the_catalogue_is_classified_as_such():
    cat = shipped()
    for s in SERVICES:
        if s["kind"] == "advertising":
            for domain in s["domains"]:
                host = domain.lstrip("=")
                assert cat.get(cat.match(host)).kind == "advertising", (s["id"], domain)


def test_the_cases_found_on_real_logs():
    cat = shipped()
    by_id = {s["id"]: s for s in SERVICES}
    # A telephony app claimed an ad network's and several companies' domains.
    assert by_id["talkatone"]["domains"] == ["talkatone.com", "tktn.at", "tktn.be"]
    # A mail entry claimed a news site and every country domain of its parent.
    assert not [d for d in by_id["yahoo-mail"]["domains"] if "techcrunch" in d or d.startswith("yahoo.")]
    assert cat.match("techcrunch.com") is None
    assert cat.get(cat.match("www.yahoo.fr")).kind == "vendor"
    # A certificate authority lacked its own main domain.
    assert cat.match("www.globalsign.com") == "globalsign"
    # A login domain is the vendor's account service, not its mail product.
    assert cat.get(cat.match("login.live.com")).kind == "account"
    assert cat.match("outlook.live.com") == "outlook"
    # A download site is not the vendor's cloud ERP.
    assert cat.get(cat.match("www.java.com")).kind == "vendor"
    assert cat.get(cat.match("support.sap.com")).kind == "vendor"


def test_main_domains_of_the_vendors_file_are_attributed_to_their_vendor():
    ownership, cat = load(), shipped()
    missing = []
    for vendor in ownership.vendors.values():
        for domain in vendor.main:
            sid = cat.match(domain)
            if sid is None or not ownership.related(cat.get(sid).vendor, vendor.name):
                missing.append(f"{vendor.name}: {domain} -> {sid}")
    assert missing == []


@pytest.mark.parametrize("host, kind", [
    ("ocsp.digicert.com", "certificates"), ("r3.o.lencr.org", "certificates"), ("ocsp.pki.goog", "certificates"),
    ("fonts.googleapis.com", "embedded"), ("secure.gravatar.com", "embedded"), ("js.stripe.com", "embedded"),
    ("www.google-analytics.com", "embedded"), ("use.typekit.net", "embedded"),
    ("archive.ubuntu.com", "updates"), ("download.windowsupdate.com", "updates"), ("files.pythonhosted.org", "updates"),
    ("registry.npmjs.org", "updates"), ("swcdn.apple.com", "updates"),
    ("d1234abcd.cloudfront.net", "cdn"), ("a248.e.akamai.net", "cdn"),
    ("accounts.google.com", "account"), ("login.live.com", "account"),
    ("www.microsoft.com", "vendor"), ("app.slack.com", "application"), ("mail.google.com", "application"),
])
def test_what_is_seen_is_classified(host, kind):
    cat = shipped()
    assert cat.get(cat.match(host)).kind == kind, host
