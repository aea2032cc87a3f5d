"""Storing runs: shadow IT vs the register, usage observations, licence utilisation, unused apps, query counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mue.applications.models import Application
from mue.core.models import ChangeLogEntry
from mue.discovery.catalogue import shipped
from mue.discovery.models import ApplicationMapping, DiscoverySettings, RiskOverride, ServiceUserDay
from mue.discovery.results import licence_utilisation, shadow_it, unused_applications
from mue.discovery.runner import run_discovery
from mue.discovery.shadow import add_shadow_application
from mue.organization.models import Person, Unit
from mue.usage.models import UsageObservation

NOV = dt.date(2023, 11, 1)


@pytest.fixture
def register(workspace):
    it = Unit.objects.create(workspace=workspace, slug="it", name="IT")
    hr = Unit.objects.create(workspace=workspace, slug="hr", name="HR")
    Person.objects.create(workspace=workspace, slug="alice", name="Alice", unit=it, email="alice@example.org")
    Person.objects.create(workspace=workspace, slug="bob", name="Bob", unit=hr)
    Person.objects.create(workspace=workspace, slug="carol", name="Carol", unit=hr, email="carol@example.org")
    slack = Application.objects.create(workspace=workspace, slug="slack", name="Slack", kind="saas",
                                       url="https://acme.slack.com", seats=10)
    teams = Application.objects.create(workspace=workspace, slug="visio", name="Visio", kind="saas", seats=5)
    ApplicationMapping.objects.create(workspace=workspace, service_id="microsoft-teams", application=teams)
    Application.objects.create(workspace=workspace, slug="zoom", name="Zoom", kind="saas")  # matched by name
    Application.objects.create(workspace=workspace, slug="paie", name="Paie", kind="on-premises")
    return {"slack": slack, "teams": teams}


def test_run_stores_services_shadow_and_units(register, workspace, logs):
    run, report = run_discovery(workspace, [logs / "squid_small.log"])
    assert (run.lines, run.malformed) == (10, 2)
    services = {s.service_id: s for s in run.services.all()}
    assert set(services) == {"slack", "dropbox", "microsoft-teams"}
    slack = services["slack"]
    assert (slack.users, slack.requests, slack.bytes) == (2, 4, 3800)
    assert slack.application == register["slack"]
    assert slack.units == {"hr": 1, "it": 1}  # alice by her email's local part, bob by his slug, on pseudonyms
    assert slack.first_seen == dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    assert [s.service_id for s in shadow_it(workspace)] == ["dropbox"]
    assert services["dropbox"].units == {"hr": 1}
    assert report["shadow_services"] == 1 and run.report["services"] == 3
    # Stored report: no raw text of malformed lines while names are not allowed.
    assert all("text" not in s for s in run.report["malformed_samples"])
    assert report["malformed_samples"][0]["text"]
    assert not ServiceUserDay.objects.filter(user__in=["alice", "bob"]).exists()


def test_allow_names_keeps_identifiers(register, workspace, logs):
    DiscoverySettings.objects.create(workspace=workspace, allow_names=True)
    run, _ = run_discovery(workspace, [logs / "squid_small.log"])
    assert set(ServiceUserDay.objects.filter(service_id="slack").values_list("user", flat=True)) == {"alice", "bob"}
    assert run.report["malformed_samples"][0]["text"]


def test_usage_observations_and_rereading(register, workspace, logs):
    run_discovery(workspace, [logs / "squid_small.log"])
    obs = UsageObservation.objects.get(application=register["slack"], month=NOV, source="proxy")
    assert (obs.active_users, obs.requests, obs.bytes) == (2, 4, 3800)
    assert UsageObservation.objects.get(application=register["teams"]).active_users == 1
    # A second file for the same month adds up; active users stay distinct.
    _, report = run_discovery(workspace, [logs / "squid_small.log.gz"])
    assert report["warnings"] == []  # not the same bytes as the plain file
    obs.refresh_from_db()
    assert (obs.active_users, obs.requests, obs.bytes) == (2, 8, 7600)
    _, report = run_discovery(workspace, [logs / "squid_small.log"])
    assert len(report["warnings"]) == 1


def test_licence_utilisation_and_unused(register, workspace, logs):
    run_discovery(workspace, [logs / "squid_small.log"])
    util = {u.application.slug: (u.seats, u.active_users, u.ratio) for u in licence_utilisation(workspace)}
    assert util == {"slack": (10, 2, 0.2), "visio": (5, 1, 0.2)}
    unused, blind = unused_applications(workspace, shipped())
    assert [a.slug for a in unused] == ["zoom"]
    assert [a.slug for a in blind] == ["paie"]


def test_add_shadow_application_logs_the_change(register, workspace, logs):
    run_discovery(workspace, [logs / "squid_small.log"])
    app, created = add_shadow_application(workspace, "dropbox", shipped())
    assert created and (app.status, app.kind, app.category) == ("shadow", "saas", "file-sharing")
    assert app.vendor.name == "Dropbox" and app.vendor.country == "US"
    assert ChangeLogEntry.objects.filter(object_type="application", object_id=app.id, action="create").exists()
    assert shadow_it(workspace) == []
    again, created = add_shadow_application(workspace, "dropbox", shipped())
    assert (again, created) == (app, False)


def test_risk_override_is_used(register, workspace, logs):
    RiskOverride.objects.create(workspace=workspace, service_id="dropbox", score=1, note="contract reviewed")
    run, _ = run_discovery(workspace, [logs / "squid_small.log"])
    assert run.services.get(service_id="dropbox").risk_score == 1


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_rows(workspace, tmp_path):
    def log(n_users: int, n_hosts: int):
        path = tmp_path / f"access-{n_users}.log"
        hosts = ["app.slack.com", "www.dropbox.com", "zoom.us", "chatgpt.com", "www.notion.so", "miro.com"][:n_hosts]
        lines = [f"{1700000000 + i}.000      1 192.0.2.{i % 250} TCP_TUNNEL/200 10 CONNECT {hosts[i % n_hosts]}:443 "
                 f"user{i} H/- -" for i in range(n_users)]
        path.write_text("\n".join(lines) + "\n")
        return path

    for slug in ("slack", "zoom", "notion"):
        Application.objects.create(workspace=workspace, slug=slug, name=slug.title(), kind="saas", seats=3)
    run_discovery(workspace, [log(3, 2)])  # creates settings; later runs start from the same state
    small = _queries(lambda: run_discovery(workspace, [log(4, 2)]))
    large = _queries(lambda: run_discovery(workspace, [log(60, 6)]))
    assert small == large
    listing = [_queries(lambda: licence_utilisation(workspace)), _queries(lambda: unused_applications(workspace,
                                                                                                       shipped()))]
    Application.objects.create(workspace=workspace, slug="miro", name="Miro", kind="saas", seats=3)
    assert [_queries(lambda: licence_utilisation(workspace)),
            _queries(lambda: unused_applications(workspace, shipped()))] == listing


def _log(tmp_path, hosts: list[str]):
    path = tmp_path / "mixed.log"
    path.write_text("".join(f"{1700000000 + i}.000      1 192.0.2.10 TCP_TUNNEL/200 10 CONNECT {h}:443 alice H/- -\n"
                            for i, h in enumerate(hosts)))
    return path


def test_what_is_not_an_application_is_reported_apart_never_shadow(workspace, tmp_path):
    from mue.discovery.shadow import NotAnApplication

    log = _log(tmp_path, ["www.dropbox.com", "securepubads.g.doubleclick.net", "ocsp.digicert.com",
                          "fonts.gstatic.com", "d2abc123xyz.cloudfront.net", "archive.ubuntu.com",
                          "login.live.com", "www.microsoft.com"])
    run, report = run_discovery(workspace, [log])
    kinds = {s.service_id: s.kind for s in run.services.all()}
    assert kinds["dropbox"] == "application"
    assert {kinds[s] for s in kinds if s != "dropbox"} == {"advertising", "certificates", "embedded", "cdn",
                                                           "updates", "account", "vendor"}
    assert [s.service_id for s in shadow_it(workspace)] == ["dropbox"]
    assert report["shadow_services"] == 1 and report["applications"] == 1
    rows = {r["service"]: r["register"] for r in report["service_list"]}
    assert rows["dropbox"] == "shadow" and set(rows.values()) == {"shadow", "not-an-application"}
    with pytest.raises(NotAnApplication):
        add_shadow_application(workspace, "google-ads", shipped())


@pytest.mark.parametrize("slug, name, service", [
    ("dropbox-urbanisme", "Dropbox du service urbanisme", "dropbox"),
    ("chatgpt", "Assistant IA", "openai"),
    ("visio-equipes", "Microsoft Teams", "microsoft-teams"),
])
def test_register_applications_under_their_own_slug_are_recognised(workspace, tmp_path, slug, name, service):
    app = Application.objects.create(workspace=workspace, slug=slug, name=name, kind="saas", status="approved")
    hosts = {"dropbox": "www.dropbox.com", "openai": "chatgpt.com", "microsoft-teams": "teams.microsoft.com"}
    run, _ = run_discovery(workspace, [_log(tmp_path, [hosts[service]])])
    assert run.services.get(service_id=service).application == app
    assert shadow_it(workspace) == []
    again, created = add_shadow_application(workspace, service, shipped())
    assert (again, created) == (app, False)  # not added twice
    assert Application.objects.filter(workspace=workspace).count() == 1


def test_a_register_entry_names_its_catalogue_service(workspace, tmp_path):
    from mue.discovery.shadow import link_application

    app = Application.objects.create(workspace=workspace, slug="stockage-mairie", name="Stockage", kind="saas")
    run, _ = run_discovery(workspace, [_log(tmp_path, ["www.dropbox.com"])])
    assert [s.service_id for s in shadow_it(workspace)] == ["dropbox"]
    link_application(workspace, "dropbox", "stockage-mairie", shipped())
    assert shadow_it(workspace) == []
    assert run.services.get(service_id="dropbox").application == app


@pytest.mark.django_db
def test_bulk_datetimes_are_stored_as_the_field_stores_them():
    """The fast path of mue.core.bulk for aware datetimes gives the field's own database value."""
    from mue.core.bulk import converter

    field = ServiceUserDay._meta.get_field("first_seen")
    convert = converter(field, connection)
    values = [dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC),
              dt.datetime(2023, 11, 14, 22, 13, 20, 500, tzinfo=dt.UTC),
              dt.datetime(2023, 1, 1, 1, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))]
    assert [convert(v) for v in values] == [field.get_db_prep_save(v, connection) for v in values]
