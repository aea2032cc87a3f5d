"""The shipped catalogue's integrity, the build's conflict rules, and longest-suffix matching."""

import json
from collections import Counter

import pytest

from mue.applications.taxonomy import categories
from mue.discovery.catalogue import DATA_FILE, Catalogue, CatalogueService, shipped
from mue.discovery.catalogue.build import BuildError, build, read_curated
from mue.discovery.catalogue.ownership import Ownership, Vendor


def test_shipped_catalogue_integrity():
    document = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    services = document["services"]
    assert len(services) >= 300
    ids = Counter(s["id"] for s in services)
    assert max(ids.values()) == 1
    domains = Counter(d for s in services for d in s["domains"])
    assert [d for d, n in domains.items() if n > 1] == []
    known = set(categories())
    for s in services:
        assert s["category"] in known, s["id"]
        assert s["domains"] and s["vendor"], s["id"]
        # Generated advertising entries of v2fly lists no curated entry takes may not know the country.
        assert len(s["vendor_country"]) == 2 or s["source"] == "generated", s["id"]
    assert (DATA_FILE.parent / "v2fly-LICENSE").exists()


def test_shipped_file_is_what_the_curated_files_build(tmp_path):
    # The curated files and the shipped JSON must not drift: the enterprise services v2fly lacks are there.
    shipped_ids = {s.id for s in shipped()}
    curated_ids = {e["id"] for e in read_curated()}
    generated = {s["id"] for s in json.loads(DATA_FILE.read_text(encoding="utf-8"))["services"]
                 if s["source"] == "generated"}
    assert shipped_ids - generated <= curated_ids
    for sid in ("salesforce", "servicenow", "workday", "monday", "yousign", "doctolib", "ovhcloud", "mistral",
                "microsoft-teams", "google-workspace", "claude", "deepl", "berger-levrault"):
        assert sid in shipped_ids


def _entry(sid, **kw):
    return {"id": sid, "name": sid, "vendor": "V", "country": "FR", "category": "other", "_file": "t.yaml", **kw}


OWNS_ABC = Ownership({"V": Vendor("V", domains={"a.com", "b.com", "c.com"})})


def test_build_gives_a_domain_to_the_explicit_claim_then_the_smaller_list():
    v2fly = {"big": ["a.com", "b.com", "c.com"], "small": ["b.com"]}
    doc = build([_entry("big", v2fly="big"), _entry("small", v2fly="small"), _entry("mine", domains=["c.com"])],
                v2fly, {"other"}, ownership=OWNS_ABC, shared=[])
    owners = {s["id"]: s["domains"] for s in doc["services"]}
    assert owners == {"big": ["a.com"], "small": ["b.com"], "mine": ["c.com"]}


def test_build_refuses_unknown_categories_and_double_explicit_claims():
    with pytest.raises(BuildError) as exc:
        build([_entry("a", domains=["x.com"], category="nope"), _entry("b", domains=["x.com"])], {}, {"other"},
              ownership=OWNS_ABC, shared=[])
    assert "unknown category" in str(exc.value) and "claimed explicitly" in str(exc.value)


def test_longest_suffix_wins_and_exact_hosts():
    cat = Catalogue([
        CatalogueService("ms", "MS", "M", "US", "other", ("microsoft.com",)),
        CatalogueService("teams", "Teams", "M", "US", "video-conferencing", ("teams.microsoft.com",)),
        CatalogueService("one", "One", "O", "US", "other", ("=exact.example.net",)),
    ])
    assert cat.match("teams.microsoft.com") == "teams"
    assert cat.match("eu.teams.microsoft.com") == "teams"
    assert cat.match("www.microsoft.com") == "ms"
    assert cat.match("microsoft.com") == "ms"
    assert cat.match("notmicrosoft.com") is None
    assert cat.match("exact.example.net") == "one"
    assert cat.match("sub.exact.example.net") is None


def test_shipped_matching_on_real_hosts():
    cat = shipped()
    assert cat.match("teams.microsoft.com") == "microsoft-teams"
    assert cat.match("www.microsoft.com") == "microsoft"
    assert cat.match("app.slack.com") == "slack"
    assert cat.match("chatgpt.com") == "openai"
    assert cat.match("docs.google.com") == "google-workspace"
    assert cat.match("www.google.com") == "google"


def test_workspace_entries_replace_and_take_domains():
    base = shipped()
    mine = CatalogueService("our-erp", "Our ERP", "Us", "FR", "erp", ("app.slack.com",), custom=True)
    merged = base.with_overrides([mine])
    assert merged.match("app.slack.com") == "our-erp"
    assert merged.match("files.slack.com") == "slack"
    assert base.match("app.slack.com") == "slack"  # the shipped catalogue is untouched


@pytest.mark.parametrize("host, vendor", [
    # Enterprise vendors, their acquired brands and their product lines.
    ("www.ibm.com", "IBM"), ("cloud.ibm.com", "IBM"), ("www.sap.com", "SAP"), ("performancemanager.successfactors.eu",
                                                                              "SAP"),
    ("www.concursolutions.com", "SAP"), ("www.oracle.com", "Oracle"), ("acme.oraclecloud.com", "Oracle"),
    ("www.adobe.com", "Adobe"), ("acme.my.salesforce.com", "Salesforce"), ("app.slack.com", "Salesforce"),
    ("online.tableau.com", "Salesforce"), ("anypoint.mulesoft.com", "Salesforce"), ("www.ubuntu.com", "Canonical"),
    ("acme.atlassian.net", "Atlassian"), ("www.webex.com", "Cisco"), ("dashboard.meraki.com", "Cisco"),
    ("mail.zoho.eu", "Zoho"), ("crm.zoho.eu", "Zoho"),
    # French public-sector and local-government platforms and éditeurs.
    ("www.service-public.fr", "DILA"), ("ants.gouv.fr", "ANTS"), ("cfspro.impots.gouv.fr", "DGFiP"),
    ("portail.dgfip.finances.gouv.fr", "DGFiP"), ("www.caf.fr", "CNAF"), ("chorus-pro.gouv.fr", "AIFE (État)"),
    ("www.net-entreprises.fr", "GIP-MDS"), ("www.urssaf.fr", "Urssaf"), ("www.berger-levrault.com", "Berger-Levrault"),
    ("www.jvs-mairistem.fr", "JVS-Mairistem"), ("www.ciril.net", "Ciril GROUP"), ("www.arpege.fr", "Arpège"),
    ("www.cosoluce.fr", "Cosoluce"), ("www.inetum.com", "Inetum"), ("www.agedi.fr", "Agedi"),
    ("www.s2low.org", "Libriciel SCOP"), ("www.fast-parapheur.fr", "Docaposte"), ("www.maileva.com", "Docaposte"),
])
def test_coverage_of_enterprise_and_public_sector_vendors(host, vendor):
    cat = shipped()
    sid = cat.match(host)
    assert sid is not None and cat.get(sid).vendor == vendor, (host, sid)
