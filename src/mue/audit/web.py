"""The audit's pages inside a workspace (see :mod:`mue.web.pages`), the findings tab of every object,
and the live findings: after each edit in the browser, the incremental re-audit refreshes them."""

from django.dispatch import receiver
from django.urls import path
from django.utils.translation import gettext_lazy as _

from mue.audit import live, views, waiver_views
from mue.web.pages import pages
from mue.web.views.edit import object_saved

pages.add_urls([
    path("audit/", views.audit_home, name="audit"),
    path("audit/start/", views.audit_start, name="audit_start"),
    path("audit/refresh/", views.audit_refresh, name="audit_refresh"),
    path("audit/runs/", views.audit_runs, name="audit_runs"),
    path("audit/runs/<int:pk>/", views.audit_run, name="audit_run"),
    path("audit/compare/", views.audit_compare, name="audit_compare"),
    path("audit/rules/", views.audit_rules, name="audit_rules"),
    path("audit/waive/", views.audit_waive, name="audit_waive"),
    path("audit/waivers/", waiver_views.audit_waivers, name="audit_waivers"),
    path("audit/waivers/<int:pk>/revoke/", waiver_views.audit_waiver_revoke, name="audit_waiver_revoke"),
    path("audit/questionnaire/", views.audit_questionnaire, name="audit_questionnaire"),
])
pages.add_nav("analysis", _("Audit"), "web:audit", order=10)
pages.add_nav("analysis", _("Audit rules"), "web:audit_rules", order=12)
pages.add_tab("findings", _("Findings"), views.findings_tab, order=10)


@receiver(object_saved, dispatch_uid="mue.audit.live")
def refresh_live_findings(sender, request, **kwargs) -> None:
    """Inside the edit's transaction: the findings of what the edit reaches are judged again."""
    workspace = getattr(request, "workspace", None)
    if workspace is not None:
        live.refresh_quietly(workspace)
