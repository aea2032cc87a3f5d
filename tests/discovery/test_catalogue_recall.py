"""Recall of the catalogue against two independent domain -> company datasets, and precision on other companies.

* third-party-web 0.30.0 (MIT, tests/fixtures/third_party_web/): companies are split in two halves by a hash of their
  name; the catalogue was tuned by looking at the misses of the first half only, the second is held out.
* WhoTracks.Me 2018.5.17 (CC BY 4.0, tests/fixtures/whotracksme/): held out whole, measured once the tuning on
  third-party-web was done; the catalogue was never tuned on its misses.

For the companies that are catalogue vendors (each fixture's companies.yaml), each domain of the dataset must be
attributed to a catalogue entry of that vendor (or of its family); for the other companies (the control set), no
domain may be attributed to a vendor's entry. CDN entries ("content of other sites") and grouped entries (ad networks
of unknown owner, consent banners, public script CDNs) name the platform, not the site's owner: they do not count as
an attribution. See docs/saas-catalogue.md.
"""

import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mue.discovery.catalogue import shipped
from mue.discovery.catalogue.ownership import load

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class Figures:
    found: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)
    control: int = 0
    control_attributed: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def recall(self, part: str | None = None) -> float:
        parts = [part] if part else list(self.total)
        return sum(self.found[p] for p in parts) / sum(self.total[p] for p in parts)


def measure(domains: Iterator[tuple[str, str, str | None]]) -> Figures:
    """``domains``: (part, domain, vendor or None for the control set) for each domain of a dataset."""
    catalogue, ownership = shipped(), load()
    figures = Figures()
    for part, domain, vendor in domains:
        host = "x." + domain[2:] if domain.startswith("*.") else domain
        sid = catalogue.match(host)
        service = catalogue.get(sid) if sid else None
        if vendor is not None:
            figures.total[part] = figures.total.get(part, 0) + 1
            found = bool(service and ownership.related(service.vendor, vendor))
            figures.found[part] = figures.found.get(part, 0) + found
            if not found:
                figures.missed.append(f"{vendor}: {domain} -> {sid}")
        else:
            figures.control += 1
            if service and service.kind != "cdn" and not service.vendor.startswith("("):
                figures.control_attributed.append(f"{domain} -> {sid}")
    return figures


def third_party_web() -> Iterator[tuple[str, str, str | None]]:
    fixture = FIXTURES / "third_party_web"
    entities = json.loads((fixture / "entities.json").read_text(encoding="utf-8"))["entities"]
    companies = yaml.safe_load((fixture / "companies.yaml").read_text(encoding="utf-8"))
    for entity in entities:
        company = entity.get("company") or entity["name"]
        half = "tuned" if zlib.crc32(company.encode()) % 2 == 0 else "held-out"
        for domain in entity["domains"]:
            yield half, domain, companies.get(company)


def whotracksme() -> Iterator[tuple[str, str, str | None]]:
    fixture = FIXTURES / "whotracksme"
    trackers = json.loads((fixture / "trackers.json").read_text(encoding="utf-8"))["trackers"]
    owners = yaml.safe_load((fixture / "companies.yaml").read_text(encoding="utf-8"))
    for tracker in trackers:
        vendor = owners["trackers"].get(tracker["id"]) or owners["companies"].get(tracker["company"] or tracker["name"])
        for domain in tracker["domains"]:
            yield "held-out", domain, owners["domains"].get(domain, vendor)


def test_recall_on_third_party_web_and_precision_on_other_companies():
    figures = measure(third_party_web())
    assert sum(figures.total.values()) > 600 and figures.control > 2000  # the fixture is whole
    # Measured 0.83 (tuned half), 0.77 (held-out), 0.79 overall: under the 85 % aimed at, mostly from the
    # marketing products IBM sold to Acoustic in 2019 (Coremetrics, Silverpop), which the dataset still gives to
    # IBM and the catalogue does not claim for IBM. A drop below these figures is a regression.
    assert figures.recall("tuned") >= 0.82
    assert figures.recall("held-out") >= 0.75
    # Under 2 % of the control set's domains attributed to any vendor's service (measured 0.2 %).
    assert len(figures.control_attributed) / figures.control < 0.02, figures.control_attributed


def test_recall_on_whotracksme_held_out_whole():
    figures = measure(whotracksme())
    assert figures.total["held-out"] > 350 and figures.control > 1400  # the fixture is whole
    # Measured 0.76 (364 of 479 domains) before any look at its misses, as on third-party-web's held-out half: what
    # the catalogue gets right on vendors it was not tuned for, under the 85 % aimed at. A drop is a regression.
    assert figures.recall() >= 0.75, figures.missed
    # Measured 0.2 % (3 of 1,411: mmstat.com, Alibaba's, which the dataset gives to its registrar; a Ziff Davis
    # domain of its Ookla speed tests; facebookofsex.com, transferred to Facebook after a lawsuit).
    assert len(figures.control_attributed) / figures.control < 0.02, figures.control_attributed
