"""The bulk writer's column conversions store exactly what the fields' own methods store."""

import datetime as dt
import random

import pytest
from django.db import connection

from mue.core.bulk import _datetime_value, stored_dates, stored_datetimes
from mue.discovery.models import ServiceUserDay

pytestmark = pytest.mark.django_db


def test_times_and_days_converted_as_columns_equal_the_fields_conversion():
    rng = random.Random(5)
    seconds = [1_700_000_000 + rng.random() * 86400 * 400 for _ in range(5000)]
    seconds += [1_700_000_000.0, 1_700_000_000.9999996, 0.0, 1_700_000_000.5, 1_699_999_999.0000004, 86399.999999]
    field = ServiceUserDay._meta.get_field("first_seen")
    expected = [_datetime_value(field, connection, dt.datetime.fromtimestamp(t, dt.UTC)) for t in seconds]
    assert stored_datetimes(seconds, connection) == expected
    days = [0, 1, 19_000, 20_000, 25_000]
    date_field = ServiceUserDay._meta.get_field("day")
    assert stored_dates(days, connection) == [
        date_field.get_db_prep_save(dt.date(1970, 1, 1) + dt.timedelta(days=d), connection) for d in days]
    assert stored_datetimes([], connection) == [] and stored_dates([], connection) == []
