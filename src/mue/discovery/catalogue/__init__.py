"""The SaaS catalogue: the shipped data file, extended per workspace, and host -> service matching.

A domain is a suffix (``slack.com`` matches ``app.slack.com``) or, written ``=host``, one exact host. A host goes
to the service holding its longest matching suffix, so ``teams.microsoft.com`` beats ``microsoft.com``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from mue.discovery.readers.base import gettext_noop

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "saas_catalogue.json"


# What a catalogue entry is. Only applications are services people use (and may be shadow IT); the other kinds are
# what a browser or a system fetches on its own, reported apart. Labels are English keys translated where shown.
KINDS = {
    "application": gettext_noop("application"),
    "account": gettext_noop("vendor account and sign-in"),
    "vendor": gettext_noop("vendor websites and general services"),
    "advertising": gettext_noop("advertising and tracking"),
    "cdn": gettext_noop("CDN and shared hosting"),
    "certificates": gettext_noop("certificate checks (OCSP, CRL)"),
    "updates": gettext_noop("software updates and package repositories"),
    "embedded": gettext_noop("resources embedded in web pages"),
}
APPLICATION = "application"


@dataclass(frozen=True)
class CatalogueService:
    """One SaaS or cloud service with what the risk score needs."""

    id: str
    name: str
    vendor: str
    vendor_country: str
    category: str
    domains: tuple[str, ...]
    data_location: tuple[str, ...] = ()
    attributes: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    custom: bool = False  # comes from the workspace, not the shipped file
    kind: str = APPLICATION

    @property
    def is_application(self) -> bool:
        return self.kind == APPLICATION

    @classmethod
    def from_dict(cls, data: dict[str, Any], custom: bool = False) -> CatalogueService:
        return cls(id=data["id"], name=data["name"], vendor=data["vendor"], vendor_country=data["vendor_country"],
                   category=data["category"], domains=tuple(d.lower().rstrip(".") for d in data["domains"]),
                   data_location=tuple(data.get("data_location") or ()), attributes=dict(data.get("attributes") or {}),
                   custom=custom, kind=data.get("kind") or APPLICATION)


class Catalogue:
    """Services by id, and the suffix and exact-host tables the matching walks."""

    def __init__(self, services: list[CatalogueService]) -> None:
        self.services: dict[str, CatalogueService] = {s.id: s for s in services}
        self._suffix: dict[str, str] = {}
        self._exact: dict[str, str] = {}
        for service in self.services.values():
            for domain in service.domains:
                if domain.startswith("="):
                    self._exact[domain[1:]] = service.id
                else:
                    self._suffix[domain] = service.id
        self._cache: dict[str, str | None] = {}

    def __len__(self) -> int:
        return len(self.services)

    def __iter__(self):
        return iter(self.services.values())

    def get(self, service_id: str) -> CatalogueService | None:
        return self.services.get(service_id)

    def match(self, host: str) -> str | None:
        """The id of the service whose longest domain suffix matches the host, or None."""
        found = self._cache.get(host, "")
        if found != "":
            return found
        result = self._exact.get(host)
        if result is None:
            name = host
            while True:
                result = self._suffix.get(name)
                if result is not None:
                    break
                dot = name.find(".")
                if dot < 0:
                    break
                name = name[dot + 1:]
        self._cache[host] = result
        return result

    def search(self, text: str) -> list[CatalogueService]:
        """Services whose id, name, vendor, category or one domain contains the text."""
        needle = text.lower()
        return [s for s in self.services.values()
                if needle in s.id or needle in s.name.lower() or needle in s.vendor.lower()
                or needle == s.category or any(needle in d for d in s.domains)]

    def with_overrides(self, extra: list[CatalogueService]) -> Catalogue:
        """A new catalogue where the extra services add to or replace (same id) these ones.

        A replaced or added service also takes over the domains it lists from any other service.
        """
        claimed = {d for s in extra for d in s.domains}
        merged = {sid: s for sid, s in self.services.items()}
        for sid, service in list(merged.items()):
            if claimed.intersection(service.domains):
                merged[sid] = CatalogueService(**{**service.__dict__,
                                                  "domains": tuple(d for d in service.domains if d not in claimed)})
        for service in extra:
            merged[service.id] = service
        return Catalogue(list(merged.values()))


@cache
def shipped() -> Catalogue:
    """The catalogue shipped with Mue."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        document = json.load(fh)
    return Catalogue([CatalogueService.from_dict(item) for item in document["services"]])


def for_workspace(workspace_id: int | None) -> Catalogue:
    """The shipped catalogue with the workspace's own entries (one query)."""
    if workspace_id is None:
        return shipped()
    from mue.discovery.models import CatalogueEntry

    extra = [
        CatalogueService(id=e.service_id, name=e.name, vendor=e.vendor, vendor_country=e.vendor_country,
                         category=e.category, domains=tuple(d.lower().rstrip(".") for d in e.domains),
                         data_location=tuple(e.data_location or ()), attributes=dict(e.attributes or {}), custom=True,
                         kind=(e.attributes or {}).get("kind") or APPLICATION)
        for e in CatalogueEntry.objects.filter(workspace_id=workspace_id)
    ]
    return shipped().with_overrides(extra) if extra else shipped()
