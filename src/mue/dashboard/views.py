"""The dashboard's panel on a workspace's front page."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from mue.core.models import Workspace
from mue.dashboard import charts
from mue.dashboard.panels import dashboard


def dashboard_panel(request: HttpRequest, workspace: Workspace) -> SafeString:
    data = dashboard(workspace)
    scores = data["maturity"]
    context = {
        **data,
        "charts": {
            "domains": charts.domain_bars(scores.domains),
            "trend": charts.trend_line(scores.trend),
            "severity": charts.severity_bars(data["findings"]),
        },
        "open_total": sum(f["count"] for f in data["findings"]),
        "waived_total": int((scores.summary or {}).get("waived", 0)),
        "workspace": workspace,
    }
    return render_to_string("dashboard/dashboard.html", context, request=request)
