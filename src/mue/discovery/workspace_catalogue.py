"""A workspace's own catalogue entries, imported from a YAML file shaped like the curated files.

Each entry: ``id``, ``name``, ``vendor``, ``country``, ``category`` (a slug of the application taxonomy),
``domains`` (suffixes, ``=host`` for one exact host), and optional ``dl``, ``sso``, ``mfa``, ``enc``, ``certs``,
``dpa``, ``export``, ``owner``, and ``kind`` (``application`` by default; ``advertising``, ``cdn``, ``updates``... for
what is not one: see ``mue.discovery.catalogue.KINDS``). An entry with the id of a shipped service replaces it; its
domains are taken from any other service.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction

from mue.applications.taxonomy import categories
from mue.discovery.catalogue import KINDS
from mue.discovery.catalogue.build import ATTRIBUTES
from mue.discovery.models import CatalogueEntry

_DOMAIN = re.compile(r"^=?(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")


class CatalogueFileError(ValueError):
    """The file is not a valid list of catalogue entries; nothing was written."""


def validate(items: object) -> list[str]:
    """Problems of a list of entries (empty when valid)."""
    if not isinstance(items, list):
        return ["the file must hold a list of entries"]
    problems: list[str] = []
    seen_ids: set[str] = set()
    seen_domains: dict[str, str] = {}
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"entry {n}: not a mapping")
            continue
        where = f"entry {n} ({item.get('id', '?')})"
        for key in ("id", "name", "vendor", "country", "category", "domains"):
            if not item.get(key):
                problems.append(f"{where}: missing {key}")
        if item.get("id") in seen_ids:
            problems.append(f"{where}: duplicate id")
        seen_ids.add(item.get("id"))
        if item.get("category") and item["category"] not in categories():
            problems.append(f"{where}: unknown category {item['category']!r}")
        if item.get("kind", "application") not in KINDS:
            problems.append(f"{where}: unknown kind {item.get('kind')!r} (known: {', '.join(KINDS)})")
        if item.get("country") and not re.fullmatch(r"[A-Z]{2}", str(item["country"])):
            problems.append(f"{where}: country must be an ISO 3166 alpha-2 code")
        for domain in item.get("domains") or []:
            domain = str(domain).lower()
            if not _DOMAIN.match(domain):
                problems.append(f"{where}: {domain!r} is not a domain")
            elif domain in seen_domains:
                problems.append(f"{where}: {domain} is already claimed by {seen_domains[domain]}")
            seen_domains.setdefault(domain, str(item.get("id")))
    return problems


@transaction.atomic
def import_entries(workspace, path: Path) -> int:
    """Create or replace the workspace's entries from the file; all or nothing."""
    from mue.interchange.problems import ImportFailed
    from mue.interchange.sources import read_structured

    try:  # within the limits of every map file (size, nesting, YAML aliases): mue.core.inputs
        items, _locate = read_structured(path, path.name, "yaml", kind="map")
    except OSError as exc:
        raise CatalogueFileError(f"{path}: {exc}") from None
    except ImportFailed as exc:
        raise CatalogueFileError("; ".join(str(p) for p in exc.problems)) from None
    problems = validate(items)
    if problems:
        raise CatalogueFileError(f"{path}: " + "; ".join(problems))
    for item in items:
        CatalogueEntry.objects.update_or_create(
            workspace=workspace, service_id=item["id"],
            defaults={"name": item["name"], "vendor": item["vendor"], "vendor_country": item["country"],
                      "category": item["category"], "data_location": item.get("dl", []),
                      "domains": [str(d).lower() for d in item["domains"]],
                      "attributes": {**{name: item[key] for key, name in ATTRIBUTES.items() if key in item},
                                     **({"kind": item["kind"]} if item.get("kind") else {})}})
    return len(items)
