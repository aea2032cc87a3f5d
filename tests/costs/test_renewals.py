"""The renewal calendar: its page, its command, and the iCalendar feed a calendar application subscribes to
(read back with the icalendar parser, as a calendar application would)."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest
from typer.testing import CliRunner

from mue.cli.main import app
from mue.costs import feeds
from mue.costs.models import CalendarFeed
from mue.costs.renewals import by_month, renewals
from mue.interchange.importer import import_document

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def day(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def contracts(town):
    import_document({"contracts": [
        {"slug": "contrat-editeur", "name": "Contrat éditeur", "end": day(100), "notice_days": 60,
         "tacit_renewal": True, "annual_amount": 1200},
        {"slug": "contrat-court", "name": "Contrat court", "end": day(20)},  # no notice period: the end itself
        {"slug": "contrat-fini", "name": "Contrat fini", "end": day(-10)},  # ended, not renewed: left out
        # ended a while ago, renews itself for a year at a time
        {"slug": "contrat-tacite", "name": "Contrat tacite", "start": day(-400 - 365), "end": day(-400),
         "tacit_renewal": True, "notice_days": 30},
        {"slug": "contrat-sans-fin", "name": "Sans fin"},
    ]}, workspace="bourg")
    return town


def test_renewals_by_notice_deadline(contracts):
    items = renewals(contracts, today=TODAY)
    assert [r.slug for r in items] == ["contrat-court", "contrat-editeur", "contrat-tacite"]
    court, editeur, tacite = items
    assert court.deadline == court.end and court.days_left == 20
    assert editeur.deadline == TODAY + dt.timedelta(days=40)
    # 400 days ago + a term of 365 days: the next end is 35 days from now (computed, marked so)
    assert tacite.rolled and tacite.end == TODAY + dt.timedelta(days=-400 + 365 * 2)
    months = by_month(items)
    assert [m for m, _g in months] == sorted({r.deadline.replace(day=1) for r in items})
    assert all(r.deadline.replace(day=1) == m for m, group in months for r in group)
    assert sum(len(group) for _m, group in months) == 3
    assert renewals(contracts, today=TODAY, months=1)[0].slug == "contrat-court"


def test_renewals_command_table_and_json(contracts):
    runner = CliRunner()
    result = runner.invoke(app, ["renewals", "-w", "bourg"])
    assert result.exit_code == 0, result.output
    # dates never wrap; names may, on a narrow terminal
    assert "Renewal calendar of Bourg" in result.output and day(40) in result.output and day(100) in result.output
    assert "* computed: the stated end has passed" in result.output
    data = json.loads(runner.invoke(app, ["renewals", "-w", "bourg", "--json"]).stdout)
    assert [r["contract"] for r in data["renewals"]] == ["contrat-court", "contrat-editeur", "contrat-tacite"]
    assert data["renewals"][1]["notice_deadline"] == day(40) and data["renewals"][1]["days_left"] == 40
    assert runner.invoke(app, ["renewals", "-w", "nowhere"]).exit_code != 0


@pytest.fixture
def editor(client, django_user_model, contracts):
    from mue.core.models import Membership

    user = django_user_model.objects.create_user("editor", password="pw")
    Membership.objects.create(workspace=contracts, user=user, role="editor")
    client.force_login(user)
    return client


def test_renewals_page_lists_them_by_month(editor):
    html = editor.get("/w/bourg/renewals/").content.decode()
    assert "Contrat éditeur" in html and "Contrat fini" not in html
    assert 'href="/w/bourg/contracts/contrat-editeur/"' in html and "renewed tacitly" in html
    assert 'href="/w/bourg/renewals/"' in html  # in the navigation


def test_feed_created_shown_once_read_by_a_calendar_parser_and_revoked(editor, client):
    response = editor.post("/w/bourg/renewals/", {"action": "create", "name": "Agenda DGS"})
    assert response.status_code == 200
    url = response.context["feed_url"]
    assert url.startswith("http://testserver/calendar/cal_") and url.endswith(".ics")
    secret = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.name == "Agenda DGS" and feed.digest == feeds.digest(secret)
    assert secret not in (feed.digest, feed.prefix)  # only its hash is stored
    assert secret not in editor.get("/w/bourg/renewals/").content.decode()  # shown once

    client.logout()  # a calendar application does not sign in
    answer = client.get(f"/calendar/{secret}.ics")
    assert answer.status_code == 200 and answer["Content-Type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(answer.content)
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    notice = events["contract-contrat-editeur-notice@bourg.mue"]
    assert notice.decoded("dtstart") == TODAY + dt.timedelta(days=40)
    assert "Last day to give notice: Contrat éditeur" == str(notice["summary"])
    alarms = notice.walk("VALARM")
    assert sorted(a.decoded("trigger") for a in alarms) == [dt.timedelta(days=-30), dt.timedelta(days=-7)]
    assert all(str(a["action"]) == "DISPLAY" for a in alarms)
    end = events["contract-contrat-editeur-end@bourg.mue"]
    assert end.decoded("dtstart") == TODAY + dt.timedelta(days=100) and not end.walk("VALARM")
    assert str(notice["url"]) == "http://testserver/w/bourg/contracts/contrat-editeur/"
    # ended within the year stay (a calendar keeps its past); never-ending contracts have no event
    assert "contract-contrat-fini-end@bourg.mue" in events and not any("sans-fin" in uid for uid in events)
    assert CalendarFeed.objects.get().last_used is not None

    editor.force_login(feed.created_by)
    editor.post("/w/bourg/renewals/", {"action": "revoke", "feed": feed.pk})
    assert CalendarFeed.objects.get().revoked is not None
    assert client.get(f"/calendar/{secret}.ics").status_code == 404


def test_unknown_or_malformed_secrets_are_404(client, db):
    assert client.get("/calendar/cal_nothing.ics").status_code == 404
    assert client.get("/calendar/mue_abc.ics").status_code == 404
    assert client.get(f"/calendar/cal_{'x' * 200}.ics").status_code == 404


def test_a_viewer_sees_the_calendar_but_may_not_create_or_revoke_feeds(client, django_user_model, contracts):
    from mue.core.models import Membership

    feed, _secret = feeds.create_feed(contracts, "Agenda")
    user = django_user_model.objects.create_user("viewer", password="pw")
    Membership.objects.create(workspace=contracts, user=user, role="viewer")
    client.force_login(user)
    html = client.get("/w/bourg/renewals/").content.decode()
    assert "Contrat éditeur" in html and "Create a calendar address" not in html and "Agenda" not in html
    assert client.post("/w/bourg/renewals/", {"action": "create", "name": "x"}).status_code == 403
    assert client.post("/w/bourg/renewals/", {"action": "revoke", "feed": feed.pk}).status_code == 403
    assert CalendarFeed.objects.count() == 1 and CalendarFeed.objects.get().revoked is None


def test_a_feed_of_another_workspace_cannot_be_revoked_from_this_one(editor, db):
    from mue.core.models import Workspace

    other = Workspace.objects.create(slug="autre", name="Autre")
    feed, _secret = feeds.create_feed(other, "Autre agenda")
    assert editor.post("/w/bourg/renewals/", {"action": "revoke", "feed": feed.pk}).status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).revoked is None
