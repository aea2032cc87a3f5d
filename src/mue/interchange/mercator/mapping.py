"""Mercator's cartography (the ANSSI's mapping views, by Didier Barzin) as Mue's register.

Mercator's views and what each table becomes (slugs keep Mercator's ids, ``app-12``, so that a
second import of the same database, even after renames or in another language, finds the same
objects and changes nothing):

=========================== ===================================================================
Mercator                    Mue
=========================== ===================================================================
entities (internal)         units (``parent_entity_id`` as parent)
entities (external)         external parties; an application's editor named like one is merged
                            into it, others become vendors
macro-processes             business processes, using the services of their processes
processes                   digital services: C/I/A/T needs, applications, units (entities)
activities                  merged into the services of their processes (shortest RTO/RPO, their
                            applications)
applications                applications (version, editor as vendor, block as a tag)
databases                   applications tagged ``database``: the applications using one depend on
                            it; it runs on its logical servers and holds its information
information                 data categories (personal data from the sensitivity, classification
                            from the confidentiality need, retention)
fluxes                      data flows between applications and databases (a bidirectional flux
                            gives two flows)
logical servers             assets of kind virtual machine, on their physical servers
physical servers, storage,  assets (server, storage, workstation, network device), with their site
workstations, network gear  and operating system
sites                       sites; buildings merged into their site
relations with an external  contracts with that party (reference, dates)
entity
=========================== ===================================================================

Everything else (actors, operations, tasks, networks, VLANs, AD domains, clusters, bays,
documents, Mercator's users...) is counted in the report as left out, table by table, and so are
rows Mercator marks deleted. Values that depend on the language Mercator was set up in (types,
statuses) are not read: the mapping uses ids, flags and numbers, so the English and the French demo
databases give the same register.
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mue.interchange.mercator.dump import Dump
from mue.interchange.normalize import fold
from mue.interchange.sources import slugify

#: Tables whose rows become (or merge into) register objects or links; the rest are left out.
READ = {
    "entities", "macro_processuses", "processes", "activities", "m_applications", "databases", "information",
    "fluxes", "logical_servers", "physical_servers", "storage_devices", "workstations", "physical_switches",
    "physical_routers", "wifi_terminals", "security_devices", "peripherals", "sites", "buildings", "relations",
    "activity_process", "activity_m_application", "m_application_process", "entity_process",
    "database_m_application", "database_logical_server", "database_information", "logical_server_m_application",
    "logical_server_physical_server", "m_application_physical_server", "application_blocks",
    "m_application_workstation", "information_process", "entity_m_application",  # said one by one
}
#: Physical equipment tables -> asset kind.
EQUIPMENT = {
    "physical_servers": ("pserver", "server"), "storage_devices": ("storage", "storage"),
    "workstations": ("ws", "workstation"), "physical_switches": ("switch", "network-device"),
    "physical_routers": ("router", "network-device"), "wifi_terminals": ("wifi", "network-device"),
    "security_devices": ("secdev", "network-device"), "peripherals": ("peripheral", "other"),
}
#: An activity's recovery objectives (minutes) -> a service's (hours).
OBJECTIVES = (("rto_hours", "recovery_time_objective"), ("rpo_hours", "recovery_point_objective"))
#: Confidentiality need (1-4) -> classification.
CLASSIFICATION = {1: "public", 2: "internal", 3: "confidential", 4: "secret"}
_PERSONAL_WORDS = ("personal", "personnel", "personnelle", "rgpd", "gdpr", "dcp")
_SENSITIVE_WORDS = ("sensitive", "sensible", "health", "sante", "medical", "medicale")


def text_of(markup: Any, limit: int | None = None) -> str:
    """Mercator's rich text (HTML from its editor) as plain text: paragraphs kept, tags dropped."""
    if markup is None:
        return ""
    value = re.sub(r"<\s*(br|/p|/li|/div|/h\d)\s*/?>", "\n", str(markup), flags=re.I)
    value = html.unescape(re.sub(r"<[^>]+>", "", value)).replace("\xa0", " ")
    value = "\n".join(" ".join(line.split()) for line in value.splitlines())
    value = re.sub(r"\n{2,}", "\n", value).strip()
    return value[:limit] if limit else value


def _id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _level(value: Any) -> int | None:
    """A C/I/A/T need of 1 to 4 (0 or empty: not stated)."""
    level = _id(value)
    return level if level and 1 <= level <= 4 else None


def _hours(minutes: Any) -> int | None:
    """Mercator's RTO/RPO are minutes; the register keeps whole hours (rounded up: never promise more)."""
    value = _id(minutes)
    return max(1, math.ceil(value / 60)) if value and value > 0 else None


class MercatorMapping:
    """Builds the map document and the report of one dump."""

    def __init__(self, dump: Dump):
        self.dump = dump
        self.deleted: dict[str, int] = defaultdict(int)
        self.live: dict[str, dict[int, dict[str, Any]]] = {}
        self.doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.mapped: list[str] = []
        self.merged: list[str] = []
        self.left_out: list[str] = []
        for table, rows in dump.tables.items():
            kept: dict[int, dict[str, Any]] = {}
            for row in rows:
                if row.get("deleted_at"):
                    self.deleted[table] += 1
                    continue
                key = _id(row.get("id"))
                kept[key if key is not None else -len(kept) - 1] = row
            self.live[table] = kept

    def rows(self, table: str) -> dict[int, dict[str, Any]]:
        return self.live.get(table, {})

    def pairs(self, table: str, left: str, right: str) -> list[tuple[int, int]]:
        return [(_id(r[left]), _id(r[right])) for r in self.rows(table).values()
                if _id(r.get(left)) is not None and _id(r.get(right)) is not None]

    def say(self, what: list[str], count: int, message: str) -> None:
        if count:
            what.append(message % {"count": count})

    # -- the views ------------------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        self._organization()
        self._services()
        self._data()
        self._applications()
        self._infrastructure()
        self._flows()
        self._contracts()
        self._left_out()
        return {key: items for key, items in self.doc.items() if items}

    def _organization(self) -> None:
        entities = self.rows("entities")
        self.internal = {i for i, r in entities.items() if not _id(r.get("is_external"))}
        self.parties_by_name: dict[str, str] = {}
        for i, row in sorted(entities.items()):
            item: dict[str, Any] = {"slug": f"entity-{i}", "name": text_of(row.get("name"), 200) or f"entity {i}"}
            description = text_of(row.get("description"))
            if description:
                item["description"] = description
            if i in self.internal:
                parent = _id(row.get("parent_entity_id"))
                if parent in self.internal and parent != i:
                    item["parent"] = f"entity-{parent}"
                self.doc["units"].append(item)
            else:
                contact = text_of(row.get("contact_point"), 200)
                if contact:
                    item["contact"] = contact
                self.doc["parties"].append(item)
                self.parties_by_name[fold(item["name"])] = item["slug"]
        self.say(self.mapped, len(self.internal), _("%(count)s internal entities as organization units"))
        self.say(self.mapped, len(entities) - len(self.internal), _("%(count)s external entities as external parties"))

    def _services(self) -> None:
        processes, activities = self.rows("processes"), self.rows("activities")
        self.services: dict[int, dict[str, Any]] = {}
        for i, row in sorted(processes.items()):
            item: dict[str, Any] = {"slug": f"process-{i}", "name": text_of(row.get("name"), 200) or f"process {i}"}
            description = text_of(row.get("description"))
            if description:
                item["description"] = description
            needs = {name: _level(row.get(f"security_need_{letter}"))
                     for name, letter in (("confidentiality", "c"), ("integrity", "i"), ("availability", "a"),
                                          ("traceability", "t"))}
            needs = {name: level for name, level in needs.items() if level}
            if needs:
                item["needs"] = needs
            self.services[i] = item
            self.doc["services"].append(item)
        units = defaultdict(set)
        for process, entity in self.pairs("entity_process", "process_id", "entity_id"):
            if process in self.services and entity in self.internal:
                units[process].add(f"entity-{entity}")
        for process, slugs in units.items():
            self.services[process]["units"] = sorted(slugs)
        self.say(self.mapped, len(processes), _("%(count)s processes as digital services (with their C/I/A/T needs)"))
        # Activities: their recovery objectives and applications go to the services of their processes.
        by_activity = defaultdict(set)
        for process, activity in self.pairs("activity_process", "process_id", "activity_id"):
            if process in self.services and activity in activities:
                by_activity[activity].add(process)
        self.activity_services = by_activity
        for activity, owners in by_activity.items():
            row = activities[activity]
            for process in owners:
                service = self.services[process]
                for key, column in OBJECTIVES:
                    hours = _hours(row.get(column))
                    if hours and (service.get(key) is None or hours < service[key]):
                        service[key] = hours
        self.say(self.merged, len(by_activity), _("%(count)s activities merged into the services of their processes "
                                                  "(shortest RTO and RPO, their applications)"))
        self.say(self.left_out, len(activities) - len(by_activity),
                 _("%(count)s activities linked to no process (no service to merge them into)"))
        macros = self.rows("macro_processuses")
        members = defaultdict(list)
        for i, row in processes.items():
            macro = _id(row.get("macroprocess_id"))
            if macro in macros:
                members[macro].append(f"process-{i}")
        for i, row in sorted(macros.items()):
            item = {"slug": f"macro-{i}", "name": text_of(row.get("name"), 200) or f"macro-process {i}"}
            description = text_of(row.get("description"))
            if description:
                item["description"] = description
            if members[i]:
                item["services"] = sorted(members[i])
            self.doc["processes"].append(item)
        self.say(self.mapped, len(macros), _("%(count)s macro-processes as business processes, using the services of "
                                             "their processes"))

    def _data(self) -> None:
        information = self.rows("information")
        for i, row in sorted(information.items()):
            item: dict[str, Any] = {"slug": f"info-{i}", "name": text_of(row.get("name"), 200) or f"information {i}"}
            description = text_of(row.get("description"))
            if description:
                item["description"] = description
            level = _level(row.get("security_need_c"))
            if level:
                item["classification"] = CLASSIFICATION[level]
            sensitivity = fold(text_of(row.get("sensitivity")))
            if any(word in sensitivity for word in _SENSITIVE_WORDS):
                item["personal_data"] = "sensitive"
            elif any(word in sensitivity for word in _PERSONAL_WORDS):
                item["personal_data"] = "personal"
            retention = text_of(row.get("retention"), 200)
            if retention:
                item["retention_note"] = retention
            self.doc["data_categories"].append(item)
        self.say(self.mapped, len(information), _("%(count)s pieces of information as data categories"))

    def _applications(self) -> None:
        apps, databases = self.rows("m_applications"), self.rows("databases")
        blocks = self.rows("application_blocks")
        self.apps: dict[str, dict[str, Any]] = {}
        editors_merged, editors_new = 0, 0
        for i, row in sorted(apps.items()):
            item: dict[str, Any] = {"slug": f"app-{i}", "name": text_of(row.get("name"), 200) or f"application {i}",
                                    "kind": "on-premises"}
            description = text_of(row.get("description"))
            if description:
                item["description"] = description
            if row.get("version"):
                item["version"] = text_of(row.get("version"), 50)
            editor = text_of(row.get("editor") or row.get("vendor"), 200)
            if editor:
                slug = self.parties_by_name.get(fold(editor))
                if slug is None:
                    slug = f"editor-{i}"  # the first application naming it: its name's spelling varies
                    self.parties_by_name[fold(editor)] = slug
                    self.doc["parties"].append({"slug": slug, "name": editor, "kind": "vendor"})
                    editors_new += 1
                else:
                    editors_merged += 1
                item["vendor"] = slug
            block = _id(row.get("application_block_id"))
            if block in blocks:
                item["tags"] = [slugify(text_of(blocks[block].get("name"))) or f"block-{block}"]
            self.apps[f"app-{i}"] = item
            self.doc["applications"].append(item)
        self.say(self.mapped, len(apps), _("%(count)s applications"))
        self.say(self.merged, editors_merged, _("%(count)s application editors merged into the external entity of "
                                                "the same name"))
        self.say(self.mapped, editors_new, _("%(count)s other application editors as vendors"))
        self.say(self.merged, len(blocks), _("%(count)s application blocks as tags of their applications"))
        for i, row in sorted(databases.items()):
            item = {"slug": f"db-{i}", "name": text_of(row.get("name"), 200) or f"database {i}", "kind": "on-premises",
                    "tags": ["database"]}
            description = text_of(row.get("description"))
            if description:
                item["description"] = description
            self.apps[f"db-{i}"] = item
            self.doc["applications"].append(item)
        self.say(self.mapped, len(databases), _("%(count)s databases as applications tagged 'database' (the "
                                                "applications using one depend on it)"))

        def add(item: dict[str, Any], key: str, value: str) -> None:
            values = item.setdefault(key, [])
            if value not in values:
                values.append(value)

        for app, process in self.pairs("m_application_process", "m_application_id", "process_id"):
            if f"app-{app}" in self.apps and process in self.services:
                add(self.services[process], "applications", f"app-{app}")
        for app, activity in self.pairs("activity_m_application", "m_application_id", "activity_id"):
            for process in self.activity_services.get(activity, ()):
                if f"app-{app}" in self.apps:
                    add(self.services[process], "applications", f"app-{app}")
        for app, database in self.pairs("database_m_application", "m_application_id", "database_id"):
            if f"app-{app}" in self.apps and f"db-{database}" in self.apps:
                add(self.apps[f"app-{app}"], "depends_on", f"db-{database}")
        info = self.rows("information")
        for database, information in self.pairs("database_information", "database_id", "information_id"):
            if f"db-{database}" in self.apps and information in info:
                add(self.apps[f"db-{database}"], "data", f"info-{information}")
        for service in self.services.values():
            for key in ("applications",):
                if key in service:
                    service[key].sort()

    def _infrastructure(self) -> None:
        sites = self.rows("sites")
        for i, row in sorted(sites.items()):
            item: dict[str, Any] = {"slug": f"site-{i}", "name": text_of(row.get("name"), 200) or f"site {i}"}
            description = text_of(row.get("description"))
            if description:
                item["description"] = description
            self.doc["sites"].append(item)
        self.say(self.mapped, len(sites), _("%(count)s sites"))
        self.say(self.merged, len(self.rows("buildings")), _("%(count)s buildings and rooms merged into their site"))
        assets: dict[str, dict[str, Any]] = {}
        for i, row in sorted(self.rows("logical_servers").items()):
            assets[f"lserver-{i}"] = self._asset(f"lserver-{i}", row, "virtual-machine", sites)
        self.say(self.mapped, len(self.rows("logical_servers")), _("%(count)s logical servers as virtual machines"))
        for table, (prefix, kind) in EQUIPMENT.items():
            for i, row in sorted(self.rows(table).items()):
                assets[f"{prefix}-{i}"] = self._asset(f"{prefix}-{i}", row, kind, sites)
        equipment = sum(len(self.rows(table)) for table in EQUIPMENT)
        self.say(self.mapped, equipment, _("%(count)s physical servers, storage, workstations and network devices "
                                           "as assets"))
        hosts_left = 0
        hosting = self.pairs("logical_server_physical_server", "logical_server_id", "physical_server_id")
        for logical, physical in hosting:
            vm, host = assets.get(f"lserver-{logical}"), f"pserver-{physical}"
            if vm is None or host not in assets:
                continue
            if "host" in vm:
                hosts_left += 1  # a virtual machine runs on one host in the register (a cluster is one asset)
            else:
                vm["host"] = host
        self.say(self.left_out, hosts_left, _("%(count)s further physical servers of a logical server (the register "
                                              "keeps one host)"))
        for table, asset_prefix, column in (("logical_server_m_application", "lserver", "logical_server_id"),
                                            ("m_application_physical_server", "pserver", "physical_server_id")):
            for app, asset in self.pairs(table, "m_application_id", column):
                if f"app-{app}" in self.apps and f"{asset_prefix}-{asset}" in assets:
                    self.apps[f"app-{app}"].setdefault("runs_on", []).append(f"{asset_prefix}-{asset}")
        for database, server in self.pairs("database_logical_server", "database_id", "logical_server_id"):
            if f"db-{database}" in self.apps and f"lserver-{server}" in assets:
                self.apps[f"db-{database}"].setdefault("runs_on", []).append(f"lserver-{server}")
        for item in self.apps.values():
            if "runs_on" in item:
                item["runs_on"] = sorted(set(item["runs_on"]))
        self.doc["assets"] = list(assets.values())

    def _asset(self, slug: str, row: dict[str, Any], kind: str, sites: dict[int, dict]) -> dict[str, Any]:
        item: dict[str, Any] = {"slug": slug, "name": text_of(row.get("name"), 200) or slug, "kind": kind}
        description = text_of(row.get("description"))
        if description:
            item["description"] = description
        system = text_of(row.get("operating_system"), 100)
        if system:
            item["operating_system"] = system
        site = _id(row.get("site_id"))
        if site in sites:
            item["site"] = f"site-{site}"
        return item

    def _flows(self) -> None:
        fluxes = self.rows("fluxes")
        written, left = 0, 0
        for i, row in sorted(fluxes.items()):
            source, target = self._end(row, "source"), self._end(row, "dest")
            if source is None or target is None or source == target:
                left += 1
                continue
            item: dict[str, Any] = {"slug": f"flux-{i}", "name": text_of(row.get("name"), 200) or f"flux {i}",
                                    "from": f"application:{source}", "to": f"application:{target}"}
            description = text_of(row.get("description"))
            if description:
                item["description"] = description
            if row.get("crypted") is not None:
                item["encrypted"] = bool(_id(row.get("crypted")))
            nature = fold(text_of(row.get("nature")))
            if nature in ("api", "https", "http", "sftp", "ftp", "smtp", "vpn"):
                item["protocol"] = nature
            self.doc["flows"].append(item)
            written += 1
            if _id(row.get("bidirectional")):
                back = dict(item, slug=f"flux-{i}-back", **{"from": item["to"], "to": item["from"]})
                self.doc["flows"].append(back)
                written += 1
        self.say(self.mapped, written, _("%(count)s data flows (a bidirectional flux gives two)"))
        self.say(self.left_out, left, _("%(count)s fluxes from or to an application service or module (not "
                                        "in the register)"))

    def _end(self, row: dict[str, Any], side: str) -> str | None:
        app, database = _id(row.get(f"application_{side}_id")), _id(row.get(f"database_{side}_id"))
        if app is not None and f"app-{app}" in self.apps:
            return f"app-{app}"
        if database is not None and f"db-{database}" in self.apps:
            return f"db-{database}"
        return None

    def _contracts(self) -> None:
        relations = self.rows("relations")
        written = 0
        for i, row in sorted(relations.items()):
            ends = [_id(row.get("source_id")), _id(row.get("destination_id"))]
            external = [e for e in ends if e is not None and e not in self.internal and e in self.rows("entities")]
            if not external:
                continue
            item: dict[str, Any] = {"slug": f"relation-{i}", "name": text_of(row.get("name"), 200) or f"relation {i}",
                                    "vendor": f"entity-{external[0]}"}
            description = text_of(row.get("description"))
            if description:
                item["description"] = description
            reference = text_of(row.get("reference"), 100)
            if reference:
                item["reference"] = reference
            for key, column in (("start", "start_date"), ("end", "end_date")):
                value = str(row.get(column) or "")[:10]
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and value != "0000-00-00":
                    item[key] = value
            self.doc["contracts"].append(item)
            written += 1
        self.say(self.mapped, written, _("%(count)s relations with an external entity as contracts"))
        self.say(self.left_out, len(relations) - written, _("%(count)s relations between internal entities"))

    def _left_out(self) -> None:
        others = [(table, len(rows)) for table, rows in sorted(self.live.items()) if table not in READ and rows]
        if others:  # one line: a dozen tables of the cartography have no counterpart in the register
            self.left_out.append(ngettext("%(count)s table with no place in the register: %(tables)s",
                                          "%(count)s tables with no place in the register: %(tables)s", len(others))
                                 % {"count": len(others),
                                    "tables": ", ".join(f"{table} ({rows})" for table, rows in others)})
        deleted = sum(self.deleted.values())
        self.say(self.left_out, deleted, _("%(count)s rows marked deleted in Mercator"))
        counted = len(self.pairs("m_application_workstation", "m_application_id", "workstation_id"))
        self.say(self.left_out, counted, _("%(count)s links of applications to the workstations they are used from"))
        counted = len(self.pairs("information_process", "information_id", "process_id"))
        self.say(self.left_out, counted, _("%(count)s links of information to processes (the register links data to "
                                           "applications and flows)"))
        counted = len(self.pairs("entity_m_application", "m_application_id", "entity_id"))
        self.say(self.left_out, counted, _("%(count)s links of applications to their responsible entity"))

    def notes(self) -> list[str]:
        return ([_("mapped: %(what)s") % {"what": line} for line in self.mapped]
                + [_("merged: %(what)s") % {"what": line} for line in self.merged]
                + [_("left out: %(what)s") % {"what": line} for line in self.left_out])
