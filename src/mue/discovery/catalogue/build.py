"""Build the shipped SaaS catalogue from the hand-curated YAML files and the v2fly domain lists.

Run it again when the curated files or the v2fly copy change, and commit the result::

    .venv/bin/python -m mue.discovery.catalogue.build --v2fly /work/shared/data/saas/v2fly_service_domains.csv

The curated files (``curated_*.yaml`` next to this module) hold what v2fly lacks: vendor, country, category,
security and compliance attributes, and the domains of services v2fly does not list. v2fly's rules of type
``domain`` become suffixes, ``full`` exact hosts; ``regexp`` rules are skipped, so are rules tagged ``@ads`` (trackers,
not the service) and ``@cn`` (mainland China mirrors). A domain claimed by two services goes to the explicit curated
claim, else to the smaller v2fly list (the more specific service), else to the first service in file order.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
OUTPUT = HERE.parent / "data" / "saas_catalogue.json"
CATEGORIES = HERE.parent.parent / "applications" / "categories.yaml"
SKIPPED_ATTRS = {"ads", "cn"}
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DOMAIN = re.compile(r"^=?(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# Curated keys -> attribute names of the shipped file (the risk score reads these).
ATTRIBUTES = {"sso": "sso", "mfa": "mfa", "enc": "encryption_at_rest", "certs": "certifications", "dpa": "gdpr_dpa",
              "export": "data_export", "owner": "data_ownership"}


class BuildError(Exception):
    """The curated files are inconsistent; the message lists every problem."""


def read_v2fly(path: Path) -> dict[str, list[str]]:
    """v2fly list name -> its domains ("=host" for exact rules), without regexp, ads and cn rules."""
    lists: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            attrs = {a.strip().lstrip("@") for a in (row.get("attrs") or "").split(";") if a.strip()}
            if row["rule_type"] not in ("domain", "full") or attrs & SKIPPED_ATTRS:
                continue
            value = row["value"].strip().lower().rstrip(".")
            lists[row["list"]].append(("=" if row["rule_type"] == "full" else "") + value)
    return dict(lists)


def read_curated(directory: Path = HERE) -> list[dict]:
    """Every curated entry, in file then line order."""
    entries: list[dict] = []
    for path in sorted(directory.glob("curated_*.yaml")):
        with path.open(encoding="utf-8") as fh:
            for item in yaml.safe_load(fh) or []:
                item["_file"] = path.name
                entries.append(item)
    return entries


def build(entries: list[dict], v2fly: dict[str, list[str]], categories: set[str]) -> dict:
    """The catalogue document: services with resolved, unique domains."""
    problems: list[str] = []
    ids: set[str] = set()
    claims: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)  # domain -> (explicit?, size, order, id)
    for order, item in enumerate(entries):
        sid = item.get("id", "")
        where = f"{item['_file']}: {sid or '?'}"
        if not sid or sid in ids:
            problems.append(f"{where}: missing or duplicate id")
        ids.add(sid)
        for key in ("name", "vendor", "country", "category"):
            if not item.get(key):
                problems.append(f"{where}: missing {key}")
        if item.get("category") not in categories:
            problems.append(f"{where}: unknown category {item.get('category')!r}")
        if not _COUNTRY.match(str(item.get("country", ""))):
            problems.append(f"{where}: country must be an ISO 3166 alpha-2 code")
        for domain in item.get("domains") or []:
            claims[domain.lower()].append((0, 0, order, sid))
        if item.get("v2fly"):
            rules = v2fly.get(item["v2fly"])
            if rules is None:
                problems.append(f"{where}: no v2fly list {item['v2fly']!r}")
                continue
            for domain in rules:
                claims[domain].append((1, len(rules), order, sid))
    owner: dict[str, list[str]] = defaultdict(list)
    for domain, who in claims.items():
        if not _DOMAIN.match(domain):
            problems.append(f"{domain}: not a domain")
            continue
        explicit = sorted({c[3] for c in who if c[0] == 0})
        if len(explicit) > 1:
            problems.append(f"{domain}: claimed explicitly by {', '.join(explicit)}")
        owner[min(who)[3]].append(domain)
    if problems:
        raise BuildError("\n".join(problems))
    services = []
    for item in entries:
        domains = sorted(set(owner.get(item["id"], [])))
        if not domains:
            continue  # every domain went to a more specific service: nothing left to match
        attributes = {name: item[key] for key, name in ATTRIBUTES.items() if key in item}
        services.append({
            "id": item["id"], "name": item["name"], "vendor": item["vendor"], "vendor_country": item["country"],
            "category": item["category"], "data_location": item.get("dl", []), "domains": domains,
            "attributes": attributes, "source": "v2fly+curated" if item.get("v2fly") else "curated",
        })
    services.sort(key=lambda s: s["id"])
    return {
        "format": 1,
        "description": "SaaS and cloud services known to Mue's usage discovery (see docs/saas-catalogue.md).",
        "sources": [
            {"name": "v2fly/domain-list-community", "url": "https://github.com/v2fly/domain-list-community",
             "commit": "c975ccef", "licence": "MIT", "licence_file": "v2fly-LICENSE"},
            {"name": "Mue curated metadata", "licence": "AGPL-3.0-or-later",
             "files": sorted({e["_file"] for e in entries})},
        ],
        "services": services,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--v2fly", type=Path, default=Path("/work/shared/data/saas/v2fly_service_domains.csv"))
    parser.add_argument("--out", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with CATEGORIES.open(encoding="utf-8") as fh:
        categories = {c["slug"] for c in yaml.safe_load(fh)}
    try:
        document = build(read_curated(), read_v2fly(args.v2fly), categories)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    args.out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(document['services'])} services, "
          f"{sum(len(s['domains']) for s in document['services'])} domains -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
