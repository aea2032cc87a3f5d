"""The renewal calendar as an iCalendar feed at a secret address (RFC 5545, written with ``icalendar``).

A calendar application subscribes to ``/calendar/<secret>.ics`` and cannot sign in, so the secret is
the key: 256 random bits, stored as its SHA-256 like API tokens (:func:`mue.api.tokens.digest`), shown
once when created and revocable; a revoked or unknown secret answers 404.

Each contract with an end date gives two all-day events: the last day to give notice (with alarms
before it) and the end itself. Their UIDs are stable (workspace, contract and what the event is), so
a calendar updates the events when a date moves instead of adding new ones.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mue.api.tokens import LAST_USED_EVERY, digest
from mue.core.models import Workspace
from mue.costs.models import CalendarFeed
from mue.costs.renewals import Renewal, renewals

PREFIX = "cal_"
PREFIX_LENGTH = 12
#: Days before a notice deadline when the calendar reminds of it.
ALARM_DAYS = (30, 7)
#: How far back ended contracts stay in the feed (a calendar keeps the past it has seen anyway).
PAST_DAYS = 365


def create_feed(workspace: Workspace, name: str, user: Any = None) -> tuple[CalendarFeed, str]:
    """A new feed of ``workspace`` and its secret, which is shown once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(workspace=workspace, name=name.strip()[:100] or _("Renewal calendar"),
                                       prefix=secret[:PREFIX_LENGTH], digest=digest(secret), created_by=user)
    return feed, secret


def feeds_of(workspace: Workspace) -> QuerySet[CalendarFeed]:
    return CalendarFeed.objects.filter(workspace=workspace).select_related("created_by")


def find_feed(secret: str) -> CalendarFeed | None:
    """The active feed of that secret with its workspace, or None (unknown, malformed or revoked)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return (CalendarFeed.objects.select_related("workspace")
            .filter(digest=digest(secret), revoked__isnull=True).first())


def touch(feed: CalendarFeed) -> None:
    """Remember when the feed was last read (at most once a minute: calendars poll)."""
    now = timezone.now()
    if feed.last_used is None or now - feed.last_used >= LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used=now)
        feed.last_used = now


def revoke(feed: CalendarFeed) -> None:
    if feed.revoked is None:
        feed.revoked = timezone.now()
        feed.save(update_fields=["revoked"])


def _describe(item: Renewal) -> str:
    lines = []
    if item.vendor:
        lines.append(_("Vendor: %(vendor)s") % {"vendor": item.vendor})
    lines.append(_("Contract end: %(date)s") % {"date": item.end.isoformat()})
    if item.notice_days:
        lines.append(_("Notice period: %(days)s days") % {"days": item.notice_days})
    lines.append(_("Tacit renewal: yes") if item.tacit_renewal else _("Tacit renewal: no"))
    if item.rolled:
        lines.append(_("End date computed from the tacit renewal of the stated term."))
    if item.annual_amount is not None:
        lines.append(_("Annual amount: %(amount)s %(currency)s") % {"amount": item.annual_amount,
                                                                   "currency": item.currency})
    return "\n".join(lines)


def calendar(workspace: Workspace, today: dt.date | None = None, base_url: str = "") -> bytes:
    """The workspace's renewal calendar as an iCalendar document, in the workspace's language (a calendar
    application has no user whose language to follow)."""
    with translation.override(workspace.language):
        return _calendar(workspace, today, base_url)


def _calendar(workspace: Workspace, today: dt.date | None, base_url: str) -> bytes:
    from icalendar import Alarm, Calendar, Event

    today = today or dt.date.today()
    cal = Calendar()
    cal.add("prodid", "-//Mue//Renewals//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _("Contract renewals · %(workspace)s") % {"workspace": workspace.name})
    cal.add("x-published-ttl", "PT12H")
    stamp = timezone.now().replace(microsecond=0)
    host = f"{workspace.slug}.mue"
    for item in renewals(workspace, today=today, since=today - dt.timedelta(days=PAST_DAYS)):
        url = (base_url + reverse("web:object_detail", args=[workspace.slug, "contracts", item.slug])
               if base_url else None)
        description = _describe(item)
        deadline = Event()
        deadline.add("uid", f"contract-{item.slug}-notice@{host}")
        deadline.add("dtstamp", stamp)
        deadline.add("dtstart", item.deadline)
        deadline.add("dtend", item.deadline + dt.timedelta(days=1))
        deadline.add("summary", _("Last day to give notice: %(contract)s") % {"contract": item.name})
        deadline.add("description", description)
        deadline.add("categories", [_("Notice deadline")])
        deadline.add("transp", "TRANSPARENT")
        if url:
            deadline.add("url", url)
        for days in ALARM_DAYS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _("In %(days)s days, last day to give notice: %(contract)s")
                      % {"days": days, "contract": item.name})
            alarm.add("trigger", dt.timedelta(days=-days))
            deadline.add_component(alarm)
        cal.add_component(deadline)
        end = Event()
        end.add("uid", f"contract-{item.slug}-end@{host}")
        end.add("dtstamp", stamp)
        end.add("dtstart", item.end)
        end.add("dtend", item.end + dt.timedelta(days=1))
        end.add("summary", _("Contract ends: %(contract)s") % {"contract": item.name})
        end.add("description", description)
        end.add("categories", [_("Contract end")])
        end.add("transp", "TRANSPARENT")
        if url:
            end.add("url", url)
        cal.add_component(end)
    return cal.to_ical()
