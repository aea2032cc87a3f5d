"""Recall of the catalogue against an independent domain -> company dataset (third-party-web, MIT).

For the companies that are catalogue vendors (tests/fixtures/third_party_web/companies.yaml), each domain of the
dataset must be attributed to a catalogue entry of that vendor (or of its family); for the other companies (the
control set), no domain may be attributed to a vendor's entry. CDN entries ("content of other sites") and grouped
entries (ad networks of unknown owner, consent banners, public script CDNs) name the platform, not the site's owner:
they do not count as an attribution. Companies are split in two halves by a hash of their name: the catalogue was
tuned by looking at the misses of the first half only; the second is held out. See docs/saas-catalogue.md.
"""

import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mue.discovery.catalogue import shipped
from mue.discovery.catalogue.ownership import load

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "third_party_web"


@dataclass
class Figures:
    found: dict[str, int] = field(default_factory=lambda: {"tuned": 0, "held-out": 0})
    total: dict[str, int] = field(default_factory=lambda: {"tuned": 0, "held-out": 0})
    control: int = 0
    control_attributed: list[str] = field(default_factory=list)

    def recall(self, half: str | None = None) -> float:
        halves = [half] if half else list(self.total)
        return sum(self.found[h] for h in halves) / sum(self.total[h] for h in halves)


def measure() -> Figures:
    entities = json.loads((FIXTURE / "entities.json").read_text(encoding="utf-8"))["entities"]
    companies = yaml.safe_load((FIXTURE / "companies.yaml").read_text(encoding="utf-8"))
    catalogue, ownership = shipped(), load()
    figures = Figures()
    for entity in entities:
        company = entity.get("company") or entity["name"]
        vendor = companies.get(company)
        half = "tuned" if zlib.crc32(company.encode()) % 2 == 0 else "held-out"
        for domain in entity["domains"]:
            host = "x." + domain[2:] if domain.startswith("*.") else domain
            sid = catalogue.match(host)
            service = catalogue.get(sid) if sid else None
            if vendor is not None:
                figures.total[half] += 1
                figures.found[half] += bool(service and ownership.related(service.vendor, vendor))
            else:
                figures.control += 1
                if service and service.kind != "cdn" and not service.vendor.startswith("("):
                    figures.control_attributed.append(f"{company}: {domain} -> {sid}")
    return figures


def test_recall_of_the_vendors_domains_and_precision_on_other_companies():
    figures = measure()
    assert sum(figures.total.values()) > 600 and figures.control > 2000  # the fixture is whole
    # Measured 0.83 (tuned half), 0.77 (held-out), 0.79 overall: under the 85 % aimed at, mostly from the
    # marketing products IBM sold to Acoustic in 2019 (Coremetrics, Silverpop), which the dataset still gives to
    # IBM and the catalogue does not claim for IBM. A drop below these figures is a regression.
    assert figures.recall("tuned") >= 0.82
    assert figures.recall("held-out") >= 0.75
    # Under 2 % of the control set's domains attributed to any vendor's service (measured 0.2 %).
    assert len(figures.control_attributed) / figures.control < 0.02, figures.control_attributed
