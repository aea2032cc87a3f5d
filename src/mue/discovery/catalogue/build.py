"""Build the shipped SaaS catalogue from the hand-curated YAML files and the v2fly domain lists.

Run it again when the curated files, ``vendors.yaml`` or the v2fly copy change, and commit the result::

    .venv/bin/python -m mue.discovery.catalogue.build --v2fly /work/shared/data/saas/v2fly_service_domains.csv

The curated files (``curated_*.yaml`` next to this module) hold what v2fly lacks: vendor, country, category, kind
(an application, or advertising, CDN, certificates, updates, embedded resources, a vendor's sign-in or websites),
security and compliance attributes, and the domains of services v2fly does not list. v2fly's rules of type
``domain`` become suffixes, ``full`` exact hosts; ``regexp`` rules are skipped, so are ``@cn`` rules (mainland China
mirrors). Rules tagged ``@ads`` go to an advertising entry of the list's vendor, never to its application.

A v2fly list is a community's view of a service, and it holds other companies' domains (an ad SDK in an app's list,
a CDN, a partner). So a v2fly domain is kept only when it belongs to the entry's vendor (``ownership.py``: its brands,
listed domains, or its own portfolio lists), is no shared hosting suffix (the Public Suffix List's private section:
``cloudfront.net``, ``github.io``...) unless the entry is a CDN, and is not another vendor's brand. Shared hosting
suffixes under an application's domains go to a generated CDN entry of the same vendor. A domain claimed by two
entries goes to the explicit curated claim, else to the smaller v2fly list (the more specific service), else to
the first entry in file order.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from mue.discovery.build_support import shared_suffix_samples
from mue.discovery.catalogue import APPLICATION, KINDS
from mue.discovery.catalogue.ownership import Ownership, brand_match, load, words
from mue.discovery.hosts import registered_domain, shared_suffix

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "data" / "saas_catalogue.json"
CATEGORIES = HERE.parent.parent / "applications" / "categories.yaml"
SKIPPED_ATTRS = {"cn"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DOMAIN = re.compile(r"^=?(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Curated keys -> attribute names of the shipped file (the risk score reads these).
ATTRIBUTES = {"sso": "sso", "mfa": "mfa", "enc": "encryption_at_rest", "certs": "certifications", "dpa": "gdpr_dpa",
              "export": "data_export", "owner": "data_ownership"}
NOT_APPLICATIONS = {"cdn"}  # kinds that may claim shared hosting suffixes
# Suffixes a vendor put in the Public Suffix List's private section to isolate its own services' cookies, not to host
# customers' sites: they stay its own.
OWN_PRIVATE_SUFFIXES = {"googleapis.com", "withgoogle.com", "withyoutube.com", "translate.goog", "googlecode.com"}


def _shared(host: str) -> str | None:
    suffix = shared_suffix(host)
    return None if suffix in OWN_PRIVATE_SUFFIXES else suffix


class BuildError(Exception):
    """The curated files are inconsistent; the message lists every problem."""


def read_v2fly(path: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(v2fly list name -> its domains, list name -> its @ads domains); "=host" for exact rules."""
    lists: dict[str, list[str]] = defaultdict(list)
    ads: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            attrs = {a.strip().lstrip("@") for a in (row.get("attrs") or "").split(";") if a.strip()}
            if row["rule_type"] not in ("domain", "full") or attrs & SKIPPED_ATTRS:
                continue
            value = ("=" if row["rule_type"] == "full" else "") + row["value"].strip().lower().rstrip(".")
            (ads if "ads" in attrs else lists)[row["list"]].append(value)
    return dict(lists), dict(ads)


def read_curated(directory: Path = HERE) -> list[dict]:
    """Every curated entry, in file then line order."""
    entries: list[dict] = []
    for path in sorted(directory.glob("curated_*.yaml")):
        with path.open(encoding="utf-8") as fh:
            for item in yaml.safe_load(fh) or []:
                item["_file"] = path.name
                entries.append(item)
    return entries


def shared_suffixes() -> list[str]:
    return list(shared_suffix_samples())


class _Brands:
    """Which vendor a domain name *is*: a label equal to one vendor's brand (``zendesk`` -> Zendesk)."""

    def __init__(self, vendors: set[str], ownership: Ownership) -> None:
        self.by_word: dict[str, set[str]] = defaultdict(set)
        for vendor in vendors:
            for brand in ownership.brands(vendor):
                if len(brand) >= 4:
                    self.by_word[brand].add(vendor)

    def other_vendor(self, domain: str, vendor: str, ownership: Ownership) -> str | None:
        label = registered_domain(domain.lstrip("=")).split(".", 1)[0]
        for other in self.by_word.get(label, ()):
            if other.casefold() != vendor.casefold() and not ownership.related(vendor, other):
                return other
        return None


# Advertising and tracking domains whose owner the catalogue does not know: still never an application.
AD_NETWORKS = {"id": "ad-networks", "name": "Advertising and tracking networks (owner not identified)",
               "vendor": "(advertising networks)", "country": "", "category": "marketing", "kind": "advertising",
               "_file": "v2fly @ads", "_generated": True}


def _ad_entries(entries: list[dict], ads: dict[str, list[str]], ownership: Ownership) -> list[dict]:
    """An advertising entry for each v2fly list's @ads rules, with the vendor of the entry taking the list (or of
    the vendor whose portfolio the list is)."""
    portfolio_of = {lst: v.name for v in ownership.vendors.values() for lst in v.lists}
    by_list = {item["v2fly"]: item for item in entries if item.get("v2fly")}
    by_id = {item["id"]: item for item in entries}
    generated = []
    for name, domains in sorted(ads.items()):
        owner = by_list.get(name)
        if owner is not None and owner.get("kind") == "advertising":
            owner.setdefault("_ad_rules", []).extend(domains)  # the list is an ad network's own
            continue
        curated = by_id.get(f"{name}-ads")
        if curated is not None and curated.get("kind") == "advertising":
            curated.setdefault("_ad_rules", []).extend(domains)
            continue
        vendor = owner["vendor"] if owner else portfolio_of.get(name, name)
        generated.append({"id": f"{name}-ads", "name": f"{vendor} advertising and tracking", "vendor": vendor,
                          "country": owner["country"] if owner else "", "category": "marketing",
                          "kind": "advertising", "_ad_rules": domains, "_file": "v2fly @ads", "_generated": True})
    return [*generated, dict(AD_NETWORKS)] if ads else generated


def build(entries: list[dict], v2fly: dict[str, list[str]], categories: set[str],
          ads: dict[str, list[str]] | None = None, ownership: Ownership | None = None,
          shared: list[str] | None = None) -> dict:
    """The catalogue document: services with resolved, unique domains that belong to their vendors."""
    ownership = ownership or load()
    shared = shared_suffixes() if shared is None else shared
    entries = entries + _ad_entries(entries, ads or {}, ownership)
    problems: list[str] = []
    dropped: Counter = Counter()
    left_out: dict[str, list[str]] = defaultdict(list)
    ids: set[str] = set()
    claims: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)  # domain -> (explicit?, size, order, id)
    brands = _Brands({item.get("vendor", "") for item in entries}, ownership)
    portfolio: dict[str, set[str]] = defaultdict(set)  # vendor -> registrable domains of its own portfolio lists
    curated_by: dict[str, set[str]] = defaultdict(set)  # registered domain -> vendors whose curated entries name it
    for item in entries:
        for domain in item.get("domains") or []:
            curated_by[registered_domain(domain.lstrip("=").lower())].add(item.get("vendor", ""))
    kinds = {}
    for order, item in enumerate(entries):
        sid = item.get("id", "")
        where = f"{item['_file']}: {sid or '?'}"
        if not sid or sid in ids:
            problems.append(f"{where}: missing or duplicate id")
        ids.add(sid)
        kind = kinds[sid] = item.get("kind", APPLICATION)
        if kind not in KINDS:
            problems.append(f"{where}: unknown kind {kind!r} (known: {', '.join(KINDS)})")
        for key in ("name", "vendor", "category"):
            if not item.get(key):
                problems.append(f"{where}: missing {key}")
        if item.get("category") not in categories:
            problems.append(f"{where}: unknown category {item.get('category')!r}")
        if not item.get("_generated") and not _COUNTRY.match(str(item.get("country", ""))):
            problems.append(f"{where}: country must be an ISO 3166 alpha-2 code")
        for domain in item.get("domains") or []:
            domain = domain.lower()
            if kind not in NOT_APPLICATIONS and _shared(domain.lstrip("=")) == domain.lstrip("="):
                problems.append(f"{where}: {domain} is a shared hosting suffix: only a CDN entry may claim it")
            claims[domain].append((0, 0, order, sid))
        for domain in item.get("_ad_rules", ()):
            # As v2fly claims (curated ones win). An ad rule of a list that is not the vendor's (a site's list
            # naming the ad network it embeds) goes to the networks of unknown owner: advertising all the same.
            owned = ownership.owns(item["vendor"], domain.lstrip("="), extra_names=(item["name"],))
            who = sid if owned else AD_NETWORKS["id"]
            claims[domain].append((1, len(item["_ad_rules"]), order, who))
        if item.get("v2fly"):
            rules = v2fly.get(item["v2fly"])
            if rules is None and item["v2fly"] not in (ads or {}):
                problems.append(f"{where}: no v2fly list {item['v2fly']!r}")
                continue
            own_list = item["v2fly"] in ownership.portfolio_lists(item["vendor"])
            for domain in rules or []:
                host = domain.lstrip("=")
                reg = registered_domain(host)
                if kind not in NOT_APPLICATIONS and _shared(host) is not None:
                    dropped["shared hosting or CDN"] += 1
                    left_out[sid].append(domain)
                    continue
                if reg in ownership.not_owned(item["vendor"]):
                    dropped["not the vendor's (listed in vendors.yaml)"] += 1
                    left_out[sid].append(domain)
                    continue
                if not ownership.owns(item["vendor"], host, extra_names=(item["name"],)):
                    if not own_list:
                        dropped["not the vendor's (no brand, not listed)"] += 1
                        left_out[sid].append(domain)
                        continue
                    if brands.other_vendor(host, item["vendor"], ownership) or any(
                            not ownership.related(item["vendor"], other) for other in curated_by.get(reg, ())):
                        dropped["another vendor's brand or domain"] += 1
                        left_out[sid].append(domain)
                        continue
                    portfolio[item["vendor"]].add(reg)
                claims[domain].append((1, len(rules), order, sid))
    owner: dict[str, list[str]] = defaultdict(list)
    resolved: dict[str, str] = {}
    for domain, who in claims.items():
        if not _DOMAIN.match(domain):
            problems.append(f"{domain}: not a domain")
            continue
        explicit = sorted({c[3] for c in who if c[0] == 0})
        if len(explicit) > 1:
            problems.append(f"{domain}: claimed explicitly by {', '.join(explicit)}")
        owner[min(who)[3]].append(domain)
        if not domain.startswith("="):
            resolved[domain] = min(who)[3]
    if problems:
        raise BuildError("\n".join(problems))
    by_id = {item["id"]: item for item in entries}
    # Shared hosting under a vendor's domain (s3.amazonaws.com under amazonaws.com): the vendor's CDN, not its app.
    hosted: dict[str, list[str]] = defaultdict(list)
    for suffix in shared:
        if suffix in OWN_PRIVATE_SUFFIXES:
            continue
        name = suffix
        while name and name not in resolved:
            name = name.partition(".")[2]
        if name and kinds[resolved[name]] not in NOT_APPLICATIONS and suffix not in resolved:
            hosted[resolved[name]].append(suffix)
    services = []
    for item in entries:
        domains = sorted(set(owner.get(item["id"], [])))
        if domains:
            services.append(_service(item, domains, kinds[item["id"]]))
    for sid, suffixes in sorted(hosted.items()):
        item = by_id[sid]
        services.append(_service({**item, "id": f"{sid}-hosted", "name": f"Sites hosted on {item['name']}",
                                  "_generated": True}, sorted(suffixes), "cdn"))
    services.sort(key=lambda s: s["id"])
    return {
        "format": 2,
        "description": "SaaS and cloud services known to Mue's usage discovery (see docs/saas-catalogue.md).",
        "sources": [
            {"name": "v2fly/domain-list-community", "url": "https://github.com/v2fly/domain-list-community",
             "commit": "c975ccef", "licence": "MIT", "licence_file": "v2fly-LICENSE"},
            {"name": "Public Suffix List (private section, through the publicsuffixlist package)",
             "url": "https://publicsuffix.org", "licence": "MPL-2.0"},
            {"name": "Mue curated metadata", "licence": "AGPL-3.0-or-later",
             "files": sorted({e["_file"] for e in entries if not e.get("_generated")}) + ["vendors.yaml"]},
        ],
        "dropped_v2fly_domains": dict(sorted(dropped.items())),
        "_left_out": left_out,
        "vendor_portfolios": {vendor: sorted(regs) for vendor, regs in sorted(portfolio.items())},
        "services": services,
    }


def _service(item: dict, domains: list[str], kind: str) -> dict:
    attributes = {name: item[key] for key, name in ATTRIBUTES.items() if key in item}
    return {
        "id": item["id"], "name": item["name"], "vendor": item["vendor"], "vendor_country": item.get("country", ""),
        "category": item["category"], "kind": kind, "data_location": item.get("dl", []), "domains": domains,
        "attributes": attributes,
        "source": "generated" if item.get("_generated") else "v2fly+curated" if item.get("v2fly") else "curated",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--v2fly", type=Path, default=Path("/work/shared/data/saas/v2fly_service_domains.csv"))
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--verbose", action="store_true", help="list the v2fly domains left out, per entry")
    args = parser.parse_args(argv)
    with CATEGORIES.open(encoding="utf-8") as fh:
        categories = {c["slug"] for c in yaml.safe_load(fh)}
    lists, ads = read_v2fly(args.v2fly)
    try:
        document = build(read_curated(), lists, categories, ads)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    left_out = document.pop("_left_out")
    if args.verbose:
        for sid, domains in sorted(left_out.items()):
            print(f"{sid}: {' '.join(domains)}", file=sys.stderr)
    args.out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(document['services'])} services, "
          f"{sum(len(s['domains']) for s in document['services'])} domains -> {args.out}; "
          f"v2fly domains left out: {document['dropped_v2fly_domains']}")
    return 0


__all__ = ["ATTRIBUTES", "BuildError", "brand_match", "build", "main", "read_curated", "read_v2fly", "words"]

if __name__ == "__main__":
    raise SystemExit(main())
