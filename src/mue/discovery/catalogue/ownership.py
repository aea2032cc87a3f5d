"""Who owns a domain: the catalogue's vendors, their brands, subsidiaries and domain portfolios.

A catalogue entry may only claim domains of its own vendor: that is what keeps a telephony app from claiming an
advertising network's domains, or a mail service a news site. ``vendors.yaml`` (next to this module) says, for each
vendor that needs it, its ``brands`` (names its domains are made of), its ``subsidiaries`` (other vendors of the
catalogue it owns), its ``domains`` (registered domains whose name is no brand: ``1e100.net``, ``fbcdn.net``), the
v2fly ``lists`` that are the company's own domain portfolio, and ``not_owned`` domains those lists hold wrongly.

A registered domain (Public Suffix List, ICANN rules: :func:`mue.discovery.hosts.registered_domain`) belongs to a
vendor when it is listed for the vendor or a subsidiary, or when its name (the label before the public suffix) is
made of one of their brands. The vendor's name and the entry's own name count as brands, without generic words
("cloud", "mail").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from mue.discovery.hosts import registered_domain

VENDORS_FILE = Path(__file__).resolve().parent / "vendors.yaml"

# Words of product and company names that say nothing of who owns a domain.
GENERIC = {
    "the", "and", "for", "les", "des", "online", "cloud", "mail", "web", "app", "apps", "services", "service", "other",
    "group", "inc", "ltd", "llc", "sas", "gmbh", "corporation", "corp", "company", "software", "systems",
    "technologies",
    "technology", "solutions", "digital", "media", "net", "international", "foundation", "labs", "studio", "office",
    "suite", "drive", "business", "pro", "plus", "portal", "portail", "platform", "data", "open", "free", "public",
    "network", "networks", "hosting", "updates", "update", "general", "search", "store", "sites", "site", "websites",
    "website", "account", "accounts", "sign", "login", "advertising", "tracking", "fonts", "analytics", "certificate",
    "certificates", "checks", "content", "delivery", "home", "team", "teams", "work", "direct", "mobile", "video",
    "music", "chat", "meet", "docs", "file", "files", "box", "connect", "live", "one", "hub", "desk", "smart",
    "resources", "embedded", "pages", "maps", "news", "tag", "manager", "ads", "cdn", "api", "developer", "developers",
    "express", "secure", "security", "identity", "edge", "global", "world", "france", "french", "gouv", "national",
    "nationale", "agence", "direction", "generale", "ministere", "communication", "communications", "publishing",
}
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> set[str]:
    """The brand words of a name: lower case, accents kept as letters dropped, generic words and short ones out."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    found = {w for w in _WORD.findall(plain) if len(w) >= 3 and w not in GENERIC}
    joined = "".join(_WORD.findall(plain))  # "Berger-Levrault" -> bergerlevrault, "Let's Encrypt" -> letsencrypt
    if len(joined) >= 3:
        found.add(joined)
    return found


@dataclass
class Vendor:
    name: str
    brands: set[str] = field(default_factory=set)
    domains: set[str] = field(default_factory=set)
    subsidiaries: list[str] = field(default_factory=list)
    lists: set[str] = field(default_factory=set)
    not_owned: set[str] = field(default_factory=set)
    main: list[str] = field(default_factory=list)


def _label(domain: str) -> str:
    return domain.split(".", 1)[0]


def brand_match(label: str, brands: set[str]) -> bool:
    """A domain name made of a brand: the brand itself, or the brand followed or preceded by other words
    (``slack`` in ``slack-edge``, ``getslack``); brands of four letters or more may sit anywhere."""
    compact = label.replace("-", "")
    for brand in brands:
        if label == brand or compact == brand or label.startswith(brand) or compact.startswith(brand):
            return True
        if len(brand) >= 4 and (brand in label or brand in compact):
            return True
    return False


class Ownership:
    """The vendors file, with each vendor's family (itself and its subsidiaries, transitively)."""

    def __init__(self, vendors: dict[str, Vendor]) -> None:
        self.vendors = {name.casefold(): v for name, v in vendors.items()}

    def vendor(self, name: str) -> Vendor:
        return self.vendors.get(name.casefold()) or Vendor(name=name)

    def family(self, name: str) -> list[Vendor]:
        seen: dict[str, Vendor] = {}
        todo = [name]
        while todo:
            current = todo.pop()
            if current.casefold() in seen:
                continue
            vendor = self.vendor(current)
            seen[current.casefold()] = vendor
            todo.extend(vendor.subsidiaries)
        return list(seen.values())

    def brands(self, name: str, extra_names: tuple[str, ...] = ()) -> set[str]:
        found: set[str] = set()
        for vendor in self.family(name):
            found |= words(vendor.name) | vendor.brands
        for extra in extra_names:
            found |= words(extra)
        return found

    def explicit(self, name: str) -> set[str]:
        return {d for vendor in self.family(name) for d in vendor.domains}

    def not_owned(self, name: str) -> set[str]:
        return {d for vendor in self.family(name) for d in vendor.not_owned}

    def portfolio_lists(self, name: str) -> set[str]:
        return {lst for vendor in self.family(name) for lst in vendor.lists}

    def owns(self, vendor: str, domain: str, extra_names: tuple[str, ...] = (),
             portfolio: set[str] | frozenset[str] = frozenset()) -> bool:
        """Whether the registrable part of ``domain`` belongs to the vendor (or a subsidiary).

        ``portfolio``: registrable domains of the vendor's v2fly portfolio lists (the build's output).
        """
        reg = registered_domain(domain.lstrip("="))
        if reg in self.not_owned(vendor):
            return False
        if reg in self.explicit(vendor) or reg in portfolio:
            return True
        return brand_match(_label(reg), self.brands(vendor, extra_names))

    def related(self, a: str, b: str) -> bool:
        """Whether two vendors are one family (one is a subsidiary of the other, or they share a parent)."""
        fam_a = {v.name.casefold() for v in self.family(a)}
        fam_b = {v.name.casefold() for v in self.family(b)}
        if fam_a & fam_b:
            return True
        return any(a.casefold() in {v.name.casefold() for v in self.family(p.name)} and
                   b.casefold() in {v.name.casefold() for v in self.family(p.name)} for p in self.vendors.values())


@cache
def load(path: Path = VENDORS_FILE) -> Ownership:
    with path.open(encoding="utf-8") as fh:
        document = yaml.safe_load(fh) or {}
    vendors = {}
    for name, item in document.items():
        item = item or {}
        vendors[name] = Vendor(name=name, brands={b.lower() for b in item.get("brands", [])},
                               domains={d.lower() for d in item.get("domains", [])},
                               subsidiaries=list(item.get("subsidiaries", [])), lists=set(item.get("lists", [])),
                               not_owned={d.lower() for d in item.get("not_owned", [])},
                               main=[d.lower() for d in item.get("main", [])])
    return Ownership(vendors)
