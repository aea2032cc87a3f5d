"""The discovery pages: upload logs (or name files on the server, for site administrators) and read
them as a job; the services found, the unknown domains, shadow IT added to the register in one click,
and runs compared over time. Only the engine's public functions are used (runner, store, shadow,
results): its internals may change."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from mue.applications.taxonomy import category_label
from mue.core.models import Workspace
from mue.discovery.models import DiscoveredService, DiscoveryRun
from mue.discovery.readers import FORMATS
from mue.discovery.uploads import keep_uploads
from mue.jobs import runner as jobs
from mue.web import keyset
from mue.web.security import upload_too_large
from mue.web.spec import object_url
from mue.web.views.base import workspace_view

TREND_RUNS = 20


def format_choices() -> list[tuple[str, str]]:
    return [("auto", _("Recognise it from the content"))] + [(f, f) for f in FORMATS]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadForm(forms.Form):
    logs = forms.FileField(label=gettext_lazy("Log files"), widget=MultipleFileInput(attrs={"class": "form-control"}),
                           help_text=gettext_lazy("Plain or gzip-compressed; several files at once are read as one "
                                                  "run. They are deleted once read: only counts are kept."))
    fmt = forms.ChoiceField(label=gettext_lazy("Format"), widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fmt"].choices = format_choices()


class ServerPathForm(forms.Form):
    paths = forms.CharField(label=gettext_lazy("Files on the server, one per line"), max_length=5000,
                            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control",
                                                         "placeholder": "/var/log/squid/access.log"}))
    fmt = forms.ChoiceField(label=gettext_lazy("Format"), widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fmt"].choices = format_choices()
        self.fields["fmt"].widget.attrs["id"] = "id_server_fmt"

    def clean_paths(self) -> list[str]:
        paths = [line.strip() for line in self.cleaned_data["paths"].splitlines() if line.strip()]
        roots = [Path(p).resolve() for p in settings.MUE_DISCOVERY_LOG_DIRS]
        for raw in paths:
            path = Path(raw).resolve()
            if not path.is_file():
                raise forms.ValidationError(_("%(path)s is not a file the server can read.") % {"path": raw})
            if roots and not any(root == path or root in path.parents for root in roots):
                raise forms.ValidationError(_("%(path)s is outside the log directories allowed on this server "
                                              "(MUE_DISCOVERY_LOG_DIRS).") % {"path": raw})
        return paths


def _size(n: int | None) -> str:
    from django.template.defaultfilters import filesizeformat

    return filesizeformat(n or 0)


def _trend(runs: list[DiscoveryRun]) -> dict:
    ordered = list(reversed(runs))
    return {"type": "line", "labels": [r.started.strftime("%d/%m/%Y") for r in ordered],
            "datasets": [{"label": str(_("Services found")), "data": [r.report.get("services", 0) for r in ordered]},
                         {"label": str(_("Shadow IT (not in the register)")),
                          "data": [r.report.get("shadow_services", 0) for r in ordered]}]}


@workspace_view("view")
def discovery_home(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    runs = list(DiscoveryRun.objects.filter(workspace=workspace).order_by("-started", "-id")
                .only("id", "started", "finished", "lines", "malformed", "bytes_read", "report")[:TREND_RUNS])
    may_run = "audit" in request.workspace_actions
    return render(request, "discovery/home.html", {
        "runs": runs, "trend": _trend(runs), "may_run": may_run, "job": jobs.running(workspace, "discovery"),
        "upload_form": UploadForm(), "path_form": ServerPathForm() if request.user.is_superuser else None,
        "max_upload": settings.MUE_MAX_UPLOAD_BYTES})


@require_POST
@workspace_view("audit")
def discovery_upload(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Keep the uploaded logs in a private directory until the job has read them (it deletes them)."""
    if upload_too_large(request):
        messages.error(request, _("The files are larger than this server accepts (%(size)s at most).")
                       % {"size": _size(settings.MUE_MAX_UPLOAD_BYTES)})
        return redirect("web:discovery", workspace.slug)
    files = request.FILES.getlist("logs")
    fmt = request.POST.get("fmt", "auto")
    if not files:
        messages.error(request, _("Choose at least one log file."))
        return redirect("web:discovery", workspace.slug)
    if fmt != "auto" and fmt not in FORMATS:
        messages.error(request, _("Unknown format."))
        return redirect("web:discovery", workspace.slug)
    folder, paths = keep_uploads(files)
    job = jobs.submit("discovery", workspace, request.user, paths=paths, fmt=fmt, upload_dir=str(folder))
    return redirect("web:job", workspace.slug, job.pk)


@require_POST
@workspace_view("audit")
def discovery_from_server(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Read files already on the server (site administrators only: they choose what the server reads)."""
    if not request.user.is_superuser:
        raise Http404(_("Only site administrators may read files on the server."))
    form = ServerPathForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("web:discovery", workspace.slug)
    job = jobs.submit("discovery", workspace, request.user, paths=form.cleaned_data["paths"],
                      fmt=form.cleaned_data["fmt"])
    return redirect("web:job", workspace.slug, job.pk)


# -- one run ------------------------------------------------------------------------------------------

SORTS = {"name": ("name", False), "category": ("category", False), "users": ("users", False),
         "requests": ("requests", False), "volume": ("bytes", False), "risk": ("risk_score", True),
         "register": ("application__name", True)}


class ServiceFilter(forms.Form):
    register = forms.ChoiceField(label=gettext_lazy("Register"), required=False, choices=[
        ("", gettext_lazy("All")), ("shadow", gettext_lazy("Not in the register (shadow IT)")),
        ("known", gettext_lazy("In the register"))], widget=forms.Select(attrs={"class": "form-select"}))
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False,
                                 widget=forms.Select(attrs={"class": "form-select"}))
    q = forms.CharField(label=gettext_lazy("Service"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args, categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All"))] + sorted(
            ((c, category_label(c)) for c in categories), key=lambda c: c[1])

    @property
    def active(self) -> bool:
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())

    def apply(self, queryset):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("register") == "shadow":
            queryset = queryset.filter(application__isnull=True)
        elif data.get("register") == "known":
            queryset = queryset.filter(application__isnull=False)
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("q"):
            queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(service_id__icontains=data["q"]))
        return queryset


def service_row(service: DiscoveredService, workspace: Workspace, may_add: bool, next_url: str) -> dict:
    from mue.core.registry import registry

    app = service.application
    return {"s": service, "category": category_label(service.category), "volume": _size(service.bytes),
            "app_url": object_url(workspace.slug, registry.by_singular("application"), app.slug) if app else None,
            "may_add": may_add and app is None, "next": next_url}


def _run(workspace: Workspace, pk: int) -> DiscoveryRun:
    run = DiscoveryRun.objects.filter(workspace=workspace, pk=pk).first()
    if run is None:
        raise Http404(_("No such discovery run."))
    return run


@workspace_view("view")
def discovery_run(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """Every service the run found (paginated, sortable, filtered), and the domains no catalogue entry knows."""
    run = _run(workspace, pk)
    base = DiscoveredService.objects.filter(run=run)
    categories = list(base.order_by().values_list("category", flat=True).distinct())
    form = ServiceFilter(request.GET or None, categories=categories)
    rows = form.apply(base).select_related("application")
    wanted = request.GET.get("sort", "-users")
    key = wanted.lstrip("-")
    if key not in SORTS:
        key, wanted = "users", "-users"
    descending = wanted.startswith("-")
    path, nullable = SORTS[key]
    size = int(request.GET["per_page"]) if request.GET.get("per_page", "").isdigit() else keyset.DEFAULT_PAGE_SIZE
    page = keyset.paginate(rows, path, descending, nullable, size, after=request.GET.get("after"),
                           before=request.GET.get("before"), last=request.GET.get("page") == "last")
    may_add = "change" in request.workspace_actions
    next_url = request.get_full_path()
    report = run.report or {}
    columns = [("name", _("Service")), ("category", _("Category")), ("users", _("Users")),
               ("requests", _("Requests")), ("volume", _("Volume")), ("risk", _("Risk (0-10)")),
               ("register", _("Register"))]
    return render(request, "discovery/run.html", {
        "run": run, "report": report, "filter": form, "page": page, "page_sizes": keyset.PAGE_SIZES,
        "rows": [service_row(s, workspace, may_add, next_url) for s in page.rows], "matching": rows.count(),
        "columns": columns, "sort": key, "descending": descending, "numeric": {"users", "requests", "volume", "risk"},
        "unknown": report.get("top_unknown_domains", []), "bytes": _size(run.bytes_read),
        "samples": report.get("malformed_samples", [])[:10]})


@require_POST
@workspace_view("change")
def discovery_add_shadow(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Add a discovered service to the register as a shadow application (its vendor too, when missing)."""
    from mue.core.registry import registry
    from mue.discovery.catalogue import for_workspace
    from mue.discovery.shadow import NotInCatalogue, add_shadow_application

    service_id = request.POST.get("service", "")
    try:
        app, created = add_shadow_application(workspace, service_id, for_workspace(workspace.id))
    except NotInCatalogue:
        messages.error(request, _("No service “%(service)s” in the catalogue.") % {"service": service_id})
    else:
        url = object_url(workspace.slug, registry.by_singular("application"), app.slug)
        text = (_("%(name)s added to the register as a shadow application.") if created
                else _("%(name)s is already in the register."))
        messages.success(request, format_html('{} <a href="{}">{}</a>', text % {"name": app.name}, url,
                                              _("Open it")))
        from mue.audit.live import refresh_quietly

        refresh_quietly(workspace)  # the new application's findings (shadow IT, no owner...) at once
    target = request.POST.get("next", "")
    prefix = reverse("web:workspace", args=[workspace.slug])
    return redirect(target if target.startswith(prefix) else reverse("web:discovery", args=[workspace.slug]))


# -- runs compared -----------------------------------------------------------------------------------


@workspace_view("view")
def discovery_compare(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """Two runs side by side: services that appeared, that disappeared, and the change of users of the others."""
    runs = list(DiscoveryRun.objects.filter(workspace=workspace).order_by("-started", "-id")
                .only("id", "started", "report")[:100])
    ids = [r.pk for r in runs]
    after_id = int(request.GET["after"]) if request.GET.get("after", "").isdigit() else (ids[0] if ids else None)
    before_id = int(request.GET["before"]) if request.GET.get("before", "").isdigit() else (
        ids[1] if len(ids) > 1 else None)
    context = {"runs": runs, "before_id": before_id, "after_id": after_id}
    chosen = {r.pk: r for r in DiscoveryRun.objects.filter(workspace=workspace, pk__in=[before_id, after_id])}
    if before_id in chosen and after_id in chosen and before_id != after_id:
        services = {}
        for s in DiscoveredService.objects.filter(run_id__in=[before_id, after_id]).select_related("application"):
            services.setdefault(s.service_id, {})[s.run_id] = s
        rows = []
        for seen in services.values():
            b, a = seen.get(before_id), seen.get(after_id)
            current = a or b
            rows.append({"service": current, "category": category_label(current.category),
                         "before": b.users if b else None, "after": a.users if a else None,
                         "delta": (a.users if a else 0) - (b.users if b else 0),
                         "state": "new" if b is None else "gone" if a is None else "both",
                         "shadow": current.application_id is None})
        rows.sort(key=lambda r: (-(r["after"] or 0), -(r["before"] or 0), r["service"].service_id))
        context.update(before=chosen[before_id], after=chosen[after_id], rows=rows,
                       new=sum(1 for r in rows if r["state"] == "new"),
                       gone=sum(1 for r in rows if r["state"] == "gone"))
    return render(request, "discovery/compare.html", context)
