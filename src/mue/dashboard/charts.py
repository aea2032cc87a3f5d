"""The data the dashboard's charts draw, as small JSON documents (rendered with ``json_script``)."""

from __future__ import annotations

from typing import Any

from django.utils import formats

#: Severity colours (critical first); the bars carry their numbers and patterns too.
SEVERITY_COLOURS = ["#b3261e", "#d9480f", "#b08800", "#206bc4", "#6c757d"]


def domain_bars(domains: list[dict]) -> dict[str, Any]:
    return {"labels": [d["label"] for d in domains], "values": [d["score"] for d in domains], "max": 5}


def trend_line(trend: list[dict]) -> dict[str, Any]:
    return {"labels": [formats.date_format(t["as_of"], "SHORT_DATE_FORMAT") for t in trend],
            "values": [t["score"] for t in trend], "min": 1, "max": 5}


def severity_bars(findings: list[dict]) -> dict[str, Any]:
    return {"labels": [f["label"] for f in findings], "values": [f["count"] for f in findings],
            "colours": SEVERITY_COLOURS[: len(findings)]}
