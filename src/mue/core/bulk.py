"""Plain-row bulk writes for the import pipeline: one prepared statement, DB-API ``executemany``.

``QuerySet.bulk_create`` builds a model instance per row and compiles every value into SQL; on a
large import (hundreds of thousands of rows) that Python work, not the database, is most of the
time. These helpers send tuples through one ``INSERT``/``UPDATE`` statement instead and convert
only the values whose Python type is not what the driver takes (dates on SQLite, JSON, UUIDs,
decimals), with the very field methods ``bulk_create`` uses, so the stored values are identical.

The SQL is the portable subset (``INSERT ... VALUES``, ``UPDATE ... WHERE id = ...``) that SQLite
and PostgreSQL both run; names are quoted by the backend. Signals are not sent: callers log their
changes themselves (the importer writes one change-log entry per object).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import numpy as np
import orjson
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

#: Field types whose Python values go to the driver as they are.
_PLAIN_TYPES = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "CharField", "TextField", "SlugField", "IntegerField",
    "BigIntegerField", "SmallIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
    "PositiveBigIntegerField", "BooleanField", "ForeignKey", "OneToOneField",
})
BATCH = 5000


def _field(model: type[models.Model], attname: str) -> models.Field:
    for f in model._meta.concrete_fields:
        if f.attname == attname:
            return f
    raise LookupError(f"{model.__name__} has no concrete field '{attname}'")


def _connection() -> BaseDatabaseWrapper:
    # The wrapper itself, not the ``django.db.connection`` proxy: each attribute read through the
    # proxy costs a thread-local lookup, which adds up over millions of values.
    return connections[DEFAULT_DB_ALIAS]


def converter(f: models.Field, db: BaseDatabaseWrapper | None = None) -> Callable[[Any], Any] | None:
    """How a value of this field goes to the database; None when it goes as it is."""
    db = db or _connection()
    internal = f.get_internal_type()
    if internal in _PLAIN_TYPES:
        return None
    if internal == "DateField":
        return db.ops.adapt_datefield_value
    if internal == "DateTimeField" and db.vendor in ("sqlite", "postgresql"):
        return partial(_datetime_value, f, db)
    if internal == "JSONField" and db.vendor == "sqlite" and f.encoder is None:
        # SQLite stores JSON as text: orjson writes the same document as json.dumps, several
        # times faster (compact separators, UTF-8 kept); Django reads both alike.
        return _orjson_text
    return partial(_prep_save, f, db)


def _orjson_text(value: Any) -> str:
    return orjson.dumps(value).decode()


def _prep_save(f: models.Field, db: BaseDatabaseWrapper, value: Any) -> Any:
    return f.get_db_prep_save(value, db)


def _datetime_value(f: models.Field, db: BaseDatabaseWrapper, value: Any) -> Any:
    """An aware datetime as the backend's own adapter stores it, without the field's per-value checks (ten times
    faster on hundreds of thousands of rows): PostgreSQL's driver takes it as it is; SQLite stores the naive time in
    the connection's time zone as text, exactly as ``DatabaseOperations.adapt_datetimefield_value`` does. Anything
    else (a naive datetime, a string) takes the field's full path."""
    if isinstance(value, datetime) and value.tzinfo is not None and settings.USE_TZ:
        if db.vendor == "postgresql":
            return value
        return str(value.astimezone(db.timezone).replace(tzinfo=None))
    return f.get_db_prep_save(value, db)


def stored_datetimes(seconds: Sequence[float] | np.ndarray, db: BaseDatabaseWrapper | None = None) -> list[Any]:
    """Unix times as an aware ``DateTimeField`` stores them — the values :func:`_datetime_value` gives for
    ``datetime.fromtimestamp(t, UTC)`` — converted all at once: on SQLite in UTC, its text
    ``YYYY-MM-DD HH:MM:SS[.ffffff]`` (microseconds when not zero, as ``str(datetime)``); elsewhere aware datetimes.
    For columns of hundreds of thousands of times (discovery's user-days), given to :func:`insert_rows` as
    ``converted``."""
    db = db or _connection()
    values = np.asarray(seconds, dtype=np.float64)
    if not (db.vendor == "sqlite" and settings.USE_TZ and db.timezone.utcoffset(None) == timedelta(0)):
        return [datetime.fromtimestamp(t, UTC) for t in values.tolist()]
    whole = np.floor(values)
    micros = np.round((values - whole) * 1e6).astype(np.int64)  # as fromtimestamp: modf, then half-to-even
    carry = micros >= 1_000_000
    whole, micros = whole + carry, np.where(carry, micros - 1_000_000, micros)
    if not len(values):
        return []  # numpy's string functions refuse empty arrays
    stamps = (whole.astype(np.int64) * 1_000_000 + micros).astype("datetime64[us]")
    texts = np.strings.replace(np.datetime_as_string(stamps, unit="us"), "T", " ")
    return np.where(micros == 0, np.strings.slice(texts, 0, 19), texts).tolist()  # str(datetime): no ".000000"


def stored_dates(days: Sequence[int] | np.ndarray, db: BaseDatabaseWrapper | None = None) -> list[Any]:
    """Days since 1970-01-01 as a ``DateField`` stores them: SQLite's ``YYYY-MM-DD`` text, elsewhere dates."""
    db = db or _connection()
    values = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    if db.vendor == "sqlite":
        return np.datetime_as_string(values, unit="D").tolist()
    return values.tolist()


def insert_rows(model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]],
                constants: dict[str, Any] | None = None, converted: Collection[str] = ()) -> int:
    """Insert ``rows`` (one value per attname) plus ``constants`` (the same in every row); returns the count.

    ``converted``: attnames whose values are already as the database stores them (:func:`stored_datetimes`)."""
    constants = constants or {}
    db = _connection()
    fields = [_field(model, a) for a in [*attnames, *constants]]
    quote = db.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    fixed = tuple(_convert_one(_field(model, a), v, db) for a, v in constants.items())
    conversions = [(i, conv) for i, f in enumerate(fields[:len(attnames)])
                   if attnames[i] not in converted and (conv := converter(f, db)) is not None]
    count = 0
    with db.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            if conversions:
                batch = [_converted(row, conversions) for row in batch]
            cursor.executemany(sql, [(*row, *fixed) for row in batch] if fixed else batch)
            count += len(batch)
    return count


def update_rows(model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]],
                constants: dict[str, Any] | None = None) -> None:
    """Set columns row by row: each row is its values (one per attname) then its primary key;
    ``constants`` are set on every row too."""
    constants = constants or {}
    db = _connection()
    quote = db.ops.quote_name
    assignments = ", ".join(f"{quote(_field(model, a).column)} = %s" for a in [*attnames, *constants])
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s"
    fixed = tuple(_convert_one(_field(model, a), v, db) for a, v in constants.items())
    conversions = [(i, conv) for i, a in enumerate(attnames) if (conv := converter(_field(model, a), db)) is not None]
    n = len(attnames)
    with db.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            if conversions:
                batch = [_converted(row, conversions) for row in batch]
            cursor.executemany(sql, [(*row[:n], *fixed, row[n]) for row in batch])


def delete_rows(model: type[models.Model], attnames: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Delete the rows whose columns equal each row's values (no signals, like a queryset delete of links)."""
    db = _connection()
    quote = db.ops.quote_name
    condition = " AND ".join(f"{quote(_field(model, a).column)} = %s" for a in attnames)
    with db.cursor() as cursor:
        for batch in _batches(rows, BATCH):
            cursor.executemany(f"DELETE FROM {quote(model._meta.db_table)} WHERE {condition}", batch)


def _convert_one(f: models.Field, value: Any, db: BaseDatabaseWrapper) -> Any:
    conv = converter(f, db)
    return conv(value) if conv is not None and value is not None else value


def _converted(row: Sequence[Any], conversions: list[tuple[int, Callable]]) -> list[Any]:
    out = list(row)
    for i, conv in conversions:
        if out[i] is not None:
            out[i] = conv(out[i])
    return out


def _batches(rows: Iterable, size: int):
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze(models_: list) -> None:
    """Refresh the planner's statistics of these tables (both backends accept ``ANALYZE <table>``)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for model in dict.fromkeys(models_):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
