"""The importer's check of shared cost lines: what a cost line's shares must say for its sharing key.

It runs on the whole document together with what is stored (an import is an upsert: a file may set a
line's key while its shares are already in the workspace, or add one share to a stored line), so the
same rules hold for map files, spreadsheets, the web forms and the API:

- a line shared by percentages has a percentage on each share, and they sum to 100;
- a line shared by users or equally has no percentage on its shares (it would be ignored);
- a line with a sharing key has at least one share, and names each service once.

A line may have shares and no key yet: that is how one builds a percentage split in the web forms
(add the shares, then set the key, which checks the sum).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from mue.interchange.importer import MapImport, add_document_check
from mue.vendors.choices import CostSharing


@dataclass
class _Share:
    slug: str
    cost: str | None
    service: str | None
    percent: Any
    path: tuple | None  # where it is in the file; None: stored only


def _shares(run: MapImport, ws) -> tuple[dict[str, str], dict[str, _Share], set[str]]:
    """The sharing key of each cost line concerned and the shares, stored then overlaid by the file."""
    from mue.costs.models import CostShare
    from mue.vendors.models import CostLine

    file_lines = {item["slug"]: item for _i, item in run.items.get("costs", []) if isinstance(item.get("slug"), str)}
    file_shares = [(index, item) for index, item in run.items.get("cost_shares", [])
                   if isinstance(item.get("slug"), str)]
    shares: dict[str, _Share] = {}
    if ws is not None:
        slugs = [item["slug"] for _i, item in file_shares]
        stored_of_file = CostShare.objects.filter(workspace=ws, slug__in=slugs).values_list("slug", "cost__slug")
        concerned = set(file_lines) | {item["cost"] for _i, item in file_shares if isinstance(item.get("cost"), str)}
        concerned |= {cost for _s, cost in stored_of_file}
        for slug, cost, service, percent in (CostShare.objects.filter(workspace=ws, cost__slug__in=concerned)
                                             .values_list("slug", "cost__slug", "service__slug", "percent")):
            shares[slug] = _Share(slug, cost, service, percent, None)
        keys = dict(CostLine.objects.filter(workspace=ws, slug__in=concerned).values_list("slug", "sharing"))
    else:
        keys = {}
    for slug, item in file_lines.items():
        if "sharing" in item:
            keys[slug] = item["sharing"] or ""
    for index, item in file_shares:
        share = shares.get(item["slug"]) or _Share(item["slug"], None, None, None, None)
        for key in ("cost", "service", "percent"):
            if key in item:
                setattr(share, key, item[key])
        share.path = ("cost_shares", index)
        shares[share.slug] = share
    checked = set(file_lines) | {s.cost for s in shares.values() if s.path is not None and s.cost}
    return keys, shares, checked


def _percent(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def check_cost_sharing(run: MapImport) -> None:
    if not run.items.get("cost_shares") and not any("sharing" in item for _i, item in run.items.get("costs", [])):
        return
    keys, shares, checked = _shares(run, run.existing_workspace())
    line_paths = {item["slug"]: ("costs", index) for index, item in run.items.get("costs", [])
                  if isinstance(item.get("slug"), str)}
    by_cost: dict[str, list[_Share]] = {}
    for share in shares.values():
        if share.cost:
            by_cost.setdefault(share.cost, []).append(share)
    for cost in sorted(checked):
        key = keys.get(cost, "")
        parts = sorted(by_cost.get(cost, []), key=lambda s: s.slug)
        in_file = [s for s in parts if s.path is not None]
        # Report on the line when the file holds it, else on the file's last share of it.
        where = (*line_paths[cost], "sharing") if cost in line_paths else (*in_file[-1].path, "percent")
        # The importer names the item a problem is on: name the line only when that item is a share.
        line = "" if cost in line_paths else _("cost line '%(cost)s': ") % {"cost": cost}
        if key not in CostSharing.values:  # empty: not shared yet; unknown: the schema said so
            continue
        if not parts:
            run.problem(where, _("shared %(key)s, but no cost share names its services")
                        % {"key": CostSharing(key).label.lower()})
            continue
        seen: set[str] = set()
        for share in parts:
            if share.service in seen and share.path is not None:
                run.problem((*share.path, "service"), _("cost line '%(cost)s' already has a share for service "
                                                        "'%(service)s'") % {"cost": cost, "service": share.service})
            seen.add(share.service)
        if key == CostSharing.PERCENTAGES:
            missing = [s for s in parts if _percent(s.percent) is None]
            for share in missing:
                if share.path is not None:
                    run.problem((*share.path, "percent"), _("cost line '%(cost)s' is shared by percentages: give "
                                                            "this share its percentage") % {"cost": cost})
                else:
                    run.problem(where, _("shared by percentages, but its share '%(share)s' has no percentage")
                                % {"share": share.slug})
            if missing:
                continue
            total = sum((_percent(s.percent) for s in parts), Decimal(0))
            if total != 100:
                listed = ", ".join(f"{s.service} {_percent(s.percent).normalize():f} %" for s in parts)
                run.problem(where, line + _("the percentages of its shares sum to %(total)s, not 100 "
                                            "(%(shares)s)") % {"total": f"{total.normalize():f}", "shares": listed})
        else:
            for share in parts:
                if share.percent is not None and share.path is not None:
                    run.problem((*share.path, "percent"),
                                _("cost line '%(cost)s' is shared %(key)s: a percentage would be ignored; "
                                  "remove it or share the line by percentages")
                                % {"cost": cost, "key": CostSharing(key).label.lower()})


add_document_check(check_cost_sharing)
