"""Usage observations written by discovery: one per application, month and source, updated in place."""

import datetime as dt

from mue.applications.models import Application
from mue.discovery.engine import Discovery
from mue.discovery.store import write_observations
from mue.usage.models import UsageObservation


def test_observations_are_upserted_per_month_and_source(workspace):
    from mue.discovery.models import ServiceUserDay

    app = Application.objects.create(workspace=workspace, slug="slack", name="Slack", kind="saas")
    day = dt.date(2024, 3, 5)
    stamp = dt.datetime(2024, 3, 5, 8, tzinfo=dt.UTC)
    for user in ("u1", "u2"):
        ServiceUserDay.objects.create(workspace=workspace, source="dns", service_id="slack", user=user, day=day,
                                      requests=3, bytes=0, first_seen=stamp, last_seen=stamp)
    discovery = Discovery(usage={("dns", "slack", "u1", (day - dt.date(1970, 1, 1)).days): [3, 0, 0.0, 0.0]})
    assert write_observations(workspace, discovery, {"slack": app}) == 1
    assert write_observations(workspace, discovery, {"slack": app}) == 1
    obs = UsageObservation.objects.get()
    assert (obs.month, obs.source, obs.active_users, obs.requests) == (dt.date(2024, 3, 1), "dns", 2, 6)
