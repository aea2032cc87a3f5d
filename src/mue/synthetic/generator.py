"""Coherent synthetic workspaces of any size, deterministic for a seed.

The generator builds a map document (the very shape of a YAML map file) with one seeded
:class:`random.Random`, so the same size and seed always give the same document, and writes it
through :func:`mue.interchange.importer.import_document`, the one bulk path of every import.

Shapes are those an audit meets in real life, so audits and graphs have real work to do:

* power-law fan-in: a few shared applications, servers, vendors and data categories carry most
  dependencies, flows, hosted applications and contracts (Zipf-like weights on a shuffled rank);
* about 20 % of data categories hold personal data, 5 % sensitive data, 1 % criminal records;
* about 8 % shadow applications, some banned or retired ones still in use, SaaS hosted outside the EU;
* about 10 % expired contracts, tacit renewals, missing DPAs;
* about 15 % of owners missing, unencrypted flows, end-of-life systems and unreviewed documents.

Sizes: S ≈ 1k objects, M ≈ 10k, L = 2,000 services, 10,000 applications, 100,000 flows, 20,000
assets, 500 parties, 1,000 contracts and matching people, units, data and costs; XL = 10 × L.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from functools import cached_property
from typing import Any

from mue.interchange.sources import slugify
from mue.synthetic import words
from mue.synthetic.catalogue import catalogue
from mue.synthetic.custom import custom_fields
from mue.synthetic.gdpr import record
from mue.synthetic.skills import skills

#: Object counts of size L; the other sizes scale them.
L_COUNTS: dict[str, int] = {
    "units": 300,
    "sites": 60,
    "parties": 500,
    "people": 3000,
    "data_categories": 400,
    "assets": 20_000,
    "applications": 10_000,
    "services": 2000,
    "processes": 600,
    "flows": 100_000,
    "contracts": 1000,
    "costs": 6000,
    "cost_shares": 1000,
    "documents": 1500,
    "terms_of_use": 300,
    "content_licences": 150,
    "terms_reviews": 450,
    "skill_assessments": 12_000,
    "skill_requirements": 1200,
    "processing_activities": 300,
    "transfers": 100,
    "retention_rules": 600,
    "support_teams": 30,
    "service_levels": 600,
    "service_level_targets": 2400,
    "restore_tests": 300,
    "service_contracts": 60,
}
#: Custom fields do not grow with the organization: one of each kind, at every size.
CUSTOM_FIELDS = 6
SIZES: dict[str, float] = {"S": 1 / 150, "M": 1 / 15, "L": 1.0, "XL": 10.0}
#: Dates are drawn around a fixed day, not today, so a seed gives the same workspace every year.
REFERENCE_DAY = dt.date(2025, 6, 1)
_MINIMUM = 3


def counts(size: str) -> dict[str, int]:
    """How many objects of each type a size holds."""
    try:
        factor = SIZES[size.upper()]
    except KeyError:
        raise ValueError(f"unknown size '{size}' (expected one of {', '.join(SIZES)})") from None
    scaled = {key: max(_MINIMUM, round(n * factor)) for key, n in L_COUNTS.items()}
    return scaled | {"custom_fields": CUSTOM_FIELDS}


class Picker:
    """Draws from a population with Zipf-like weights: a few items are picked very often."""

    def __init__(self, rng: random.Random, population: Sequence[str], exponent: float = 1.0):
        items = list(population)
        rng.shuffle(items)  # the popular items are not the first ones created
        self.items = items
        self.rng = rng
        total, cumulative = 0.0, []
        for rank in range(len(items)):
            total += 1.0 / (rank + 1) ** exponent
            cumulative.append(total)
        self.cumulative = cumulative

    def one(self) -> str:
        return self.rng.choices(self.items, cum_weights=self.cumulative, k=1)[0]

    def some(self, k: int, exclude: str | None = None) -> list[str]:
        """Up to ``k`` distinct items (fewer when the draw repeats a popular one), sorted."""
        drawn = self.rng.choices(self.items, cum_weights=self.cumulative, k=k)
        return sorted({item for item in drawn if item != exclude})


class Generator:
    """One synthetic workspace. ``document()`` is the whole of it; ``documents()`` the same in parts."""

    def __init__(self, size: str = "S", seed: int = 1, workspace: str | None = None):
        self.size = size.upper()
        self.counts = counts(self.size)
        self.seed = seed
        self.workspace_slug = workspace or f"synthetic-{self.size.lower()}-{seed}"
        self.rng = random.Random(f"mue-synthetic:{self.size}:{seed}")
        self._core: dict[str, Any] | None = None
        self.ids_units: list[str] = []
        self.ids_sites: list[str] = []

    # -- public -----------------------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        """The whole workspace as one map document."""
        doc = dict(self.core())
        doc["flows"] = [flow for part in self.flow_parts(self.counts["flows"]) for flow in part]
        return doc

    def documents(self, flows_per_document: int = 200_000) -> Iterator[dict[str, Any]]:
        """The same workspace as several documents (everything but flows, then flows in parts).

        Each part references objects of the earlier ones, which the importer finds in the
        database; importing them in order gives exactly the workspace of :meth:`document`.
        """
        yield self.core()
        for part in self.flow_parts(flows_per_document):
            yield {"workspace": self.workspace_block, "flows": part}

    @cached_property
    def workspace_block(self) -> dict[str, Any]:
        return {"slug": self.workspace_slug, "name": f"Synthetic workspace {self.size} (seed {self.seed})",
                "kind": "commune", "country": "FR", "population": 1000 + self.counts["people"] * 10}

    def core(self) -> dict[str, Any]:
        """Every type but flows (built once: flows continue the same random sequence)."""
        if self._core is None:
            self._core = self._build_core()
        return self._core

    # -- building ---------------------------------------------------------------------------------

    def _build_core(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"workspace": self.workspace_block}
        doc["units"] = self._units()
        doc["sites"] = self._sites()
        doc["parties"] = self._parties()
        doc["people"] = self._people(doc["units"])
        doc["data_categories"] = self._data_categories()
        doc["assets"] = self._assets()
        doc["applications"] = self._applications(doc["parties"])
        doc["services"] = self._services()
        doc["processes"] = self._processes()
        doc["contracts"] = self._contracts(doc["applications"])
        doc["costs"] = self._costs()
        doc["documents"] = self._documents()
        doc["terms_of_use"] = self._terms()
        doc["content_licences"] = self._licences()
        doc["terms_reviews"] = self._reviews(doc["terms_of_use"], [p["slug"] for p in doc["people"]])
        doc.update(skills(self.size, self.seed, doc["people"], doc["services"], self.counts["skill_assessments"],
                          self.counts["skill_requirements"]))
        doc.update(record(self.size, self.seed, doc, self.counts))
        doc.update(catalogue(self.size, self.seed, doc, self.counts))
        # Last: the share keys are set on cost lines drawn above.
        doc["cost_shares"] = self._cost_shares(doc["costs"])
        doc["custom_fields"] = custom_fields(self.size, self.seed, doc, self.counts["custom_fields"])
        return doc

    def _chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _date(self, start_years: float, end_years: float) -> str:
        """A day between ``start_years`` and ``end_years`` from the reference day (negative: before)."""
        days = self.rng.randint(int(start_years * 365), int(end_years * 365))
        return (REFERENCE_DAY + dt.timedelta(days=days)).isoformat()

    def _tri_state(self, yes: float, no: float) -> bool | None:
        """True, False or unknown (None): audits flag both the "no" and the "don't know"."""
        roll = self.rng.random()
        return True if roll < yes else False if roll < yes + no else None

    def _units(self) -> list[dict]:
        n = self.counts["units"]
        units = [{"slug": "dgs", "name": "Direction générale des services"}]
        for i in range(1, n):
            theme = self.rng.choice(words.UNIT_NAMES)
            level = self.rng.choice(words.UNIT_LEVELS)
            # Preferential attachment near the top: a few directions hold many services.
            parent = units[int(len(units) * self.rng.random() ** 2)]["slug"]
            unit = {"slug": f"unit-{i:05d}", "name": f"{level} {theme} {i}", "parent": parent}
            if theme == "Systèmes d'information" or self._chance(0.03):
                unit["is_it"] = True
            units.append(unit)
        self.ids_units = [u["slug"] for u in units]
        return units

    def _sites(self) -> list[dict]:
        sites = []
        for i in range(self.counts["sites"]):
            city = self.rng.choice(words.CITIES)
            sites.append({"slug": f"site-{i:04d}", "name": f"Site {city} {i}", "address": f"{i + 1} rue de la Mairie",
                          "city": city, "country": "FR"})
        self.ids_sites = [s["slug"] for s in sites]
        return sites

    def _parties(self) -> list[dict]:
        parties = []
        countries = (["FR"] * 55 + ["US"] * 18 + ["DE"] * 6 + ["IE"] * 4 + ["NL"] * 4 + ["GB"] * 4 + ["CN"] * 3
                     + ["IN"] * 2 + ["CH"] * 2 + ["BE"] * 2)
        kinds = ["vendor"] * 85 + ["partner"] * 6 + ["public-body"] * 6 + ["other"] * 3
        for i in range(self.counts["parties"]):
            stem = self.rng.choice(words.COMPANY_STEMS) + self.rng.choice(words.COMPANY_SUFFIXES)
            party = {"slug": slugify(f"{stem}-{i:04d}"), "name": f"{stem} {self.rng.choice(words.COMPANY_FORMS)} {i}",
                     "kind": self.rng.choice(kinds), "country": self.rng.choice(countries)}
            if self._chance(0.7):
                party["website"] = f"https://www.{slugify(stem)}-{i}.example.com"
            if self._chance(0.4):
                party["contact"] = f"support@{slugify(stem)}-{i}.example.com"
            parties.append(party)
        parties[0]["kind"] = "citizens"
        parties[0]["name"] = "Usagers (grand public)"
        self.party_country = {p["slug"]: p["country"] for p in parties}
        self.vendors = Picker(self.rng, [p["slug"] for p in parties if p["kind"] == "vendor"], 1.1)
        self.all_parties = Picker(self.rng, [p["slug"] for p in parties], 0.8)
        return parties

    def _people(self, units: list[dict]) -> list[dict]:
        people = []
        unit_picker = Picker(self.rng, [u["slug"] for u in units], 0.7)
        for i in range(self.counts["people"]):
            first, last = self.rng.choice(words.FIRST_NAMES), self.rng.choice(words.LAST_NAMES)
            person = {"slug": f"person-{i:05d}", "name": f"{first} {last}", "role": self.rng.choice(words.ROLES)}
            if self._chance(0.92):
                person["unit"] = unit_picker.one()
            if self._chance(0.8):
                person["email"] = f"person.{i}@mairie.example.fr"
            if self._chance(0.05):
                person["external"] = True
            people.append(person)
        self.people = Picker(self.rng, [p["slug"] for p in people], 0.6)
        return people

    def _data_categories(self) -> list[dict]:
        categories = []
        for i in range(self.counts["data_categories"]):
            roll = self.rng.random()
            personal = ("criminal" if roll < 0.01 else "sensitive" if roll < 0.06 else
                        "personal" if roll < 0.26 else "none")
            classification = ("confidential" if personal in ("sensitive", "criminal") else
                              self.rng.choice(["public", "internal", "internal", "confidential", "secret"]))
            theme = self.rng.choice(words.DATA_THEMES)
            category = {"slug": f"data-{i:04d}", "name": f"Données {theme} {i}", "classification": classification,
                        "personal_data": personal}
            if personal != "none":
                category["data_subjects"] = self.rng.choice(words.DATA_SUBJECTS)
                if self._chance(0.7):  # the rest: a retention period nobody set, an audit finding
                    category["retention_months"] = self.rng.choice([12, 24, 36, 60, 120, 600])
            categories.append(category)
        self.data = Picker(self.rng, [c["slug"] for c in categories], 1.0)
        return categories

    def _assets(self) -> list[dict]:
        n = self.counts["assets"]
        kinds = (["server"] * 12 + ["virtual-machine"] * 25 + ["cloud-resource"] * 8 + ["network-device"] * 8
                 + ["workstation"] * 35 + ["mobile"] * 6 + ["iot-device"] * 3 + ["storage"] * 2 + ["other"])
        drawn = [self.rng.choice(kinds) for _ in range(n)]
        drawn[0] = "server"
        servers = [f"asset-{i:06d}" for i, kind in enumerate(drawn) if kind == "server"]
        hosts = Picker(self.rng, servers, 1.1)
        sites = Picker(self.rng, self.ids_sites, 1.0)
        assets = []
        for i, kind in enumerate(drawn):
            asset: dict[str, Any] = {"slug": f"asset-{i:06d}", "name": f"{kind.upper()[:3]}-{i:06d}", "kind": kind}
            if kind == "virtual-machine" and self._chance(0.92):
                asset["host"] = hosts.one()
            if kind == "cloud-resource":
                asset["provider"] = self.vendors.one()
                asset["country"] = self.party_country[asset["provider"]]
            elif kind != "virtual-machine":
                asset["site"] = sites.one()
            if kind in ("server", "virtual-machine", "workstation", "mobile"):
                asset["operating_system"] = self.rng.choice(words.OPERATING_SYSTEMS)
                asset["update_policy"] = self.rng.choice(["automatic", "managed", "managed", "manual", "none"])
            if self._chance(0.3):
                asset["end_of_life"] = self._date(-3, 6)
            if self._chance(0.1):
                asset["managed"] = False
            if kind == "mobile" and self._chance(0.3):
                asset["personal_device"] = True
            if self._chance(0.5):
                asset["network_segment"] = f"vlan-{self.rng.randint(1, 40)}"
            if self._chance(0.85):
                asset["owner"] = self.people.one()
            assets.append(asset)
        # Applications run on servers and virtual machines, a few very crowded ones (power law).
        self.runtimes = Picker(self.rng, [a["slug"] for a in assets if a["kind"] in ("server", "virtual-machine")],
                               1.1)
        self.cloud = Picker(self.rng, [a["slug"] for a in assets if a["kind"] == "cloud-resource"] or servers, 1.0)
        self.any_asset = Picker(self.rng, [a["slug"] for a in assets], 0.5)
        return assets

    def _applications(self, parties: list[dict]) -> list[dict]:
        n = self.counts["applications"]
        slugs = [f"app-{i:06d}" for i in range(n)]
        # Shared applications (messaging, identity, ERP...) receive most dependencies and flows.
        self.shared_apps = Picker(self.rng, slugs, 1.15)
        from mue.applications.taxonomy import categories as taxonomy

        categories = list(taxonomy())
        kinds = ["saas"] * 45 + ["on-premises"] * 25 + ["custom"] * 10 + ["desktop"] * 15 + ["mobile"] * 5
        statuses = ["approved"] * 70 + ["tolerated"] * 12 + ["shadow"] * 8 + ["banned"] * 2 + ["retired"] * 8
        licences = ["subscription", "per-user", "perpetual", "open-source", "free", "included", "other"]
        apps = []
        self.vendor_apps: dict[str, list[str]] = {}
        for i, slug in enumerate(slugs):
            kind = self.rng.choice(kinds)
            name = f"{self.rng.choice(words.APP_PREFIXES)} {self.rng.choice(words.APP_SUBJECTS)} {i}"
            app: dict[str, Any] = {"slug": slug, "name": name, "kind": kind, "status": self.rng.choice(statuses),
                                   "category": self.rng.choice(categories)}
            if kind != "custom" or self._chance(0.3):
                vendor = self.vendors.one()
                app["vendor"] = vendor
                self.vendor_apps.setdefault(vendor, []).append(slug)
                if kind == "saas":
                    # Mostly where the vendor is; some SaaS in a third country whatever the vendor.
                    app["hosting_country"] = (self.rng.choice(["US", "CN", "IN", "SG"]) if self._chance(0.1)
                                              else self.party_country[vendor])
                    app["url"] = f"https://{slug}.example.net"
            if kind in ("on-premises", "custom"):
                app["hosting_country"] = "FR"
                app["runs_on"] = self.runtimes.some(self.rng.choice([1, 1, 1, 2, 3]))
            elif kind == "saas" and self._chance(0.1):
                app["runs_on"] = self.cloud.some(1)
            if self._chance(0.4):
                app["depends_on"] = self.shared_apps.some(self.rng.randint(1, 3), exclude=slug)
            if self._chance(0.7):
                app["data"] = self.data.some(self.rng.randint(1, 3))
            if self._chance(0.6):
                app["version"] = f"{self.rng.randint(1, 12)}.{self.rng.randint(0, 20)}"
            if self._chance(0.35):
                app["end_of_support"] = self._date(-4, 5)
            if self._chance(0.6):
                app["licence_model"] = self.rng.choice(licences)
                app["seats"] = self.rng.choice([5, 10, 25, 50, 100, 250, 1000])
            if kind == "saas":
                app["sso"] = self._tri_state(0.5, 0.3)
                app["mfa"] = self._tri_state(0.4, 0.35)
            if self._chance(0.85):
                app["owner"] = self.people.one()
            if self._chance(0.05):
                app["tags"] = ["legacy"]
            apps.append(app)
        self.app_names = {a["slug"]: a["name"] for a in apps}
        return apps

    def _services(self) -> list[dict]:
        services = []
        units = Picker(self.rng, self.ids_units, 0.8)
        lifecycles = ["run"] * 75 + ["use"] * 8 + ["build"] * 6 + ["plan"] * 3 + ["design"] * 3 + ["retire"] * 5
        for i in range(self.counts["services"]):
            criticality = self.rng.choice([1, 2, 2, 3, 3, 4])
            service: dict[str, Any] = {
                "slug": f"service-{i:05d}", "name": f"{self.rng.choice(words.SERVICE_SUBJECTS)} {i}",
                "lifecycle": self.rng.choice(lifecycles), "criticality": criticality,
                "applications": self.shared_apps.some(self.rng.randint(1, 8)),
                "units": units.some(self.rng.randint(1, 2)),
            }
            if self._chance(0.8):
                service["needs"] = {k: max(1, min(4, criticality + self.rng.choice([-1, 0, 0, 1])))
                                    for k in ("availability", "integrity", "confidentiality", "traceability")}
            if self._chance(0.6):
                service["rto_hours"] = self.rng.choice([1, 4, 8, 24, 48, 72, 168])
                service["rpo_hours"] = self.rng.choice([0, 1, 4, 24, 48])
            if self._chance(0.85):
                service["business_owner"] = self.people.one()
            if self._chance(0.7):
                service["it_owner"] = self.people.one()
            if self._chance(0.55):
                service["backup_owner"] = self.people.one()
            if self._chance(0.7):
                service["users_count"] = self.rng.choice([5, 20, 50, 200, 1000, 15000])
            services.append(service)
        self.services = Picker(self.rng, [s["slug"] for s in services], 0.9)
        return services

    def _processes(self) -> list[dict]:
        processes = []
        for i in range(self.counts["processes"]):
            process: dict[str, Any] = {"slug": f"process-{i:05d}",
                                       "name": f"{self.rng.choice(words.PROCESS_VERBS)} les demandes {i}",
                                       "services": self.services.some(self.rng.randint(1, 4))}
            if self._chance(0.85):
                process["owner"] = self.people.one()
            if self._chance(0.8):
                process["unit"] = self.rng.choice(self.ids_units)
            processes.append(process)
        return processes

    def flow_parts(self, per_part: int) -> Iterator[list[dict]]:
        """The flows, ``per_part`` at a time (one random sequence whatever the cut)."""
        self.core()
        total = self.counts["flows"]
        protocols = ["https"] * 55 + ["api"] * 12 + ["sftp"] * 8 + ["database"] * 8 + ["smtp"] * 4 + ["http"] * 4 \
            + ["ftp"] * 3 + ["file-share"] * 4 + ["usb"] + ["paper"]
        frequencies = ["realtime", "hourly", "daily", "daily", "weekly", "monthly", "yearly", "on-demand"]
        units = [f"unit:{u}" for u in self.ids_units]
        part: list[dict] = []
        for i in range(total):
            source = self._endpoint((0.80, 0.08, 0.07), units)
            target = self._endpoint((0.85, 0.04, 0.08), units)
            while target == source:
                target = self.shared_apps.one()
            protocol = self.rng.choice(protocols)
            flow: dict[str, Any] = {"slug": f"flow-{i:07d}", "name": f"Flux {i}", "from": source, "to": target,
                                    "protocol": protocol}
            if self._chance(0.8):
                flow["data"] = self.data.some(self.rng.randint(1, 3))
            # Plain-text protocols are not encrypted; others mostly are, a share is unknown.
            flow["encrypted"] = (False if protocol in ("http", "ftp", "usb", "paper")
                                 else self._tri_state(0.82, 0.05))
            flow["frequency"] = self.rng.choice(frequencies)
            if protocol in ("paper", "usb") or self._chance(0.05):
                flow["mode"] = "manual"
            part.append(flow)
            if len(part) == per_part:
                yield part
                part = []
        if part:
            yield part

    def _endpoint(self, weights: tuple[float, float, float], units: list[str]) -> str:
        roll = self.rng.random()
        app, unit, party = weights
        if roll < app:
            return self.shared_apps.one()
        if roll < app + unit:
            return self.rng.choice(units)
        if roll < app + unit + party:
            return f"party:{self.all_parties.one()}"
        return f"asset:{self.any_asset.one()}"

    def _contracts(self, apps: list[dict]) -> list[dict]:
        contracts = []
        for i in range(self.counts["contracts"]):
            vendor = self.vendors.one()
            start = self._date(-8, -0.1)
            contract: dict[str, Any] = {"slug": f"contract-{i:05d}", "name": f"Contrat {i}", "vendor": vendor,
                                        "reference": f"MP-{2015 + i % 10}-{i:05d}", "start": start}
            if self._chance(0.1):
                contract["end"] = self._date(-3, -0.05)  # expired, maybe still in use: an audit finding
            elif self._chance(0.8):
                contract["end"] = self._date(0.1, 4)
            if self._chance(0.3):
                contract["tacit_renewal"] = True
                contract["notice_days"] = self.rng.choice([30, 60, 90, 180])
            contract["annual_amount"] = round(self.rng.lognormvariate(8.5, 1.2), 2)
            contract["dpa_signed"] = self._tri_state(0.55, 0.15)
            contract["data_location_clause"] = self._tri_state(0.4, 0.2)
            contract["reversibility_clause"] = self._tri_state(0.3, 0.3)
            own = self.vendor_apps.get(vendor) or []
            contract["applications"] = sorted(set(self.rng.sample(own, min(len(own), self.rng.randint(1, 3))))) \
                if own else self.shared_apps.some(1)
            if self._chance(0.3):
                contract["services"] = self.services.some(1)
            contracts.append(contract)
        self.contracts = [c["slug"] for c in contracts]
        return contracts

    def _costs(self) -> list[dict]:
        costs = []
        kinds = ["licence", "subscription", "subscription", "hosting", "support", "staff", "one-off"]
        for i in range(self.counts["costs"]):
            cost: dict[str, Any] = {"slug": f"cost-{i:05d}", "name": f"Ligne de coût {i}",
                                    "amount": round(self.rng.lognormvariate(7.5, 1.4), 2),
                                    "year": self.rng.choice([2022, 2023, 2024, 2025]), "kind": self.rng.choice(kinds)}
            roll = self.rng.random()
            if roll < 0.6:
                cost["application"] = self.shared_apps.one()
            elif roll < 0.8:
                cost["service"] = self.services.one()
            elif roll < 0.95:
                cost["contract"] = self.rng.choice(self.contracts)
            if self._chance(0.5):
                cost["unit"] = self.rng.choice(self.ids_units)
            if self._chance(0.6):
                cost["owner"] = self.people.one()
            costs.append(cost)
        return costs

    def _cost_shares(self, costs: list[dict]) -> list[dict]:
        """Every sixth cost line shared, by users, equally or by percentages, between two services (three
        for the first line when the count is odd): as many shares as the size says."""
        # Their own random sequence: the flows, drawn after the core, stay what they were before shares.
        rng = random.Random(f"mue-synthetic-shares:{self.size}:{self.seed}")
        shares: list[dict] = []
        keys = ["users", "equal", "percentages"]
        services = self.services.items
        wanted = self.counts["cost_shares"]
        for index, cost in enumerate(costs[::6]):
            parts = 3 if index == 0 and wanted % 2 else 2
            if len(shares) + parts > wanted or len(services) < parts:
                break
            key = keys[index % 3]
            cost["sharing"] = key
            percents = (50, 30, 20) if parts == 3 else (60, 40)
            for n, (service, percent) in enumerate(zip(rng.sample(services, parts), percents, strict=True)):
                share = {"slug": f"{cost['slug']}-{n}", "name": f"{cost['name']} ({n + 1})", "cost": cost["slug"],
                         "service": service}
                if key == "percentages":
                    share["percent"] = percent
                shares.append(share)
        return shares

    def _documents(self) -> list[dict]:
        documents = []
        kinds = ["architecture", "procedure", "backup-restore", "admin-accounts", "continuity-plan", "contract",
                 "user-guide", "other"]
        for i in range(self.counts["documents"]):
            about = [f"service:{s}" for s in self.services.some(self.rng.randint(0, 2))]
            about += [f"application:{a}" for a in self.shared_apps.some(self.rng.randint(0, 2))]
            if self._chance(0.1):
                about.append(f"asset:{self.any_asset.one()}")
            document: dict[str, Any] = {"slug": f"doc-{i:05d}", "name": f"Document {i}", "kind": self.rng.choice(kinds),
                                        "url": f"https://ged.example.fr/doc/{i}"}
            if about:
                document["about"] = sorted(about)
            if self._chance(0.6):  # the others were never reviewed
                document["last_reviewed"] = self._date(-6, -0.01)
            if self._chance(0.8):
                document["owner"] = self.people.one()
            documents.append(document)
        return documents

    def _terms(self) -> list[dict]:
        terms = []
        for i in range(self.counts["terms_of_use"]):
            published = self._chance(0.3)
            term: dict[str, Any] = {"slug": f"terms-{i:04d}", "name": f"Conditions d'utilisation {i}",
                                    "direction": "published" if published else "consumed",
                                    "url": f"https://cgu.example.org/{i}", "version": f"{self.rng.randint(1, 5)}.0"}
            if published:
                term["service"] = self.services.one()
            else:
                term["application"] = self.shared_apps.one()
            if self._chance(0.5):
                term["last_reviewed"] = self._date(-4, -0.01)
            terms.append(term)
        return terms

    def _reviews(self, terms: list[dict], people: list[str]) -> list[dict]:
        # A random sequence of its own: adding reviews leaves every other type (and the flows) as it was.
        rng = random.Random(f"mue-synthetic-reviews:{self.size}:{self.seed}")
        reviews = []
        for i in range(self.counts["terms_reviews"]):
            term = terms[i % len(terms)]
            review: dict[str, Any] = {
                "slug": f"review-{i:04d}", "name": f"Relecture {i}", "terms": term["slug"],
                "terms_version": term["version"] if rng.random() < 0.7 else f"{rng.randint(0, 4)}.0",
                "reviewed_on": (REFERENCE_DAY - dt.timedelta(days=rng.randint(1, 1500))).isoformat(),
                "verdict": rng.choice(("balanced", "unbalanced", "unacceptable", "")),
                "checklist": {item: rng.choice(_ASSESSMENTS) for item in _CHECKLIST},
            }
            if rng.random() < 0.8:
                review["reviewer"] = rng.choice(people)
            reviews.append(review)
        return reviews

    def _licences(self) -> list[dict]:
        licences = []
        for i in range(self.counts["content_licences"]):
            licence: dict[str, Any] = {"slug": f"licence-{i:04d}", "name": f"Licence de contenu {i}",
                                       "licence": self.rng.choice(words.LICENCES),
                                       "holder": f"{self.rng.choice(words.COMPANY_STEMS)} Photo"}
            if self._chance(0.4):
                licence["expires"] = self._date(-2, 3)
            if self._chance(0.7):
                licence["application"] = self.shared_apps.one()
            else:
                licence["service"] = self.services.one()
            licences.append(licence)
        return licences


_ASSESSMENTS = ("ok", "ok", "concern", "unacceptable", "not-stated", "")
_CHECKLIST = ("data_ownership", "data_location", "reversibility", "unilateral_changes", "liability",
              "content_rights", "subprocessors", "termination")


def build_document(size: str = "S", seed: int = 1, workspace: str | None = None) -> dict[str, Any]:
    """The whole synthetic workspace of a size and seed as one map document."""
    return Generator(size, seed, workspace).document()


def object_count(document: dict[str, Any]) -> int:
    """How many register objects a map document holds."""
    return sum(len(v) for k, v in document.items() if isinstance(v, list))
