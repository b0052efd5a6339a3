"""Bulk inserts for large imports and generated data.

``bulk_insert(Model, rows)`` takes plain dicts of field values (by attname, e.g. ``household_id``)
and returns the new primary keys in order, so that callers can link child rows. On PostgreSQL the
rows go in through COPY with keys taken from the table's sequence first; elsewhere through
``bulk_create``. Missing fields get their defaults; ``auto_now``/``auto_now_add`` fields get the
current time. As with ``bulk_create``, ``save()`` is not called: callers validate beforehand.
"""

import gc
from contextlib import contextmanager, nullcontext

from django.db import connections, router
from django.utils import timezone
from psycopg import Cursor


@contextmanager
def no_gc():
    """Hundreds of thousands of short-lived objects make the cyclic GC run over and over; a bulk
    job creates no cycles worth collecting, so pause it for the duration."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _defaults(fields):
    now = timezone.now()
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()
    return defaults


def bulk_insert(model, rows, *, batch_size=2000):
    rows = list(rows)
    if not rows:
        return []
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    pk = meta.pk
    fields = [f for f in meta.concrete_fields if f is not pk]
    defaults = _defaults(fields)
    if connection.vendor != "postgresql":
        objs = [model(**{**defaults, **row}) for row in rows]
        model._default_manager.using(using).bulk_create(objs, batch_size=batch_size)
        return [o.pk for o in objs]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, pk.column])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, len(rows)])
        pks = [value for (value,) in cursor.fetchall()]
        names = [f.attname for f in fields]
        columns = ", ".join(quote(c) for c in [pk.column, *(f.column for f in fields)])
        # JSON and other adapted types need Django's conversion; plain values go as they are.
        convert = {f.attname: f for f in fields if f.get_internal_type() == "JSONField"}
        with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for key, row in zip(pks, rows, strict=True):
                values = [row.get(n, defaults[n]) for n in names]
                for i, name in enumerate(names):
                    if name in convert:
                        values[i] = convert[name].get_db_prep_save(values[i], connection)
                copy.write_row([key, *values])
    return pks


def insert_new(model, rows, *, unique):
    """Insert rows (dicts by attname) skipping any that clash on the ``unique`` fields (a unique
    constraint over exactly those fields must exist), in one statement per chunk; returns the set
    of ``unique`` value tuples that were actually inserted.

    Made for idempotent ingest: the database decides what is new, so two processes inserting
    the same key never both count it. PostgreSQL binds one array per column (``unnest``), which
    keeps the statement tiny however many rows; SQLite (3.35+) takes a multi-row VALUES."""
    rows = list(rows)
    if not rows:
        return set()
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    defaults = _defaults(fields)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    keys = [meta.get_field(name) for name in unique]
    conflict = ", ".join(quote(f.column) for f in keys)
    returning = ", ".join(quote(f.column) for f in keys)
    table = quote(meta.db_table)
    postgres = connection.vendor == "postgresql"
    inserted = set()
    chunk = 5000 if postgres else max(1, 30000 // len(fields))
    # Only values the driver cannot take as they are go through Django's conversion: it is most
    # of the cost per row otherwise.
    adapted = {"JSONField"} if postgres else {"JSONField", "DateTimeField", "DecimalField"}
    convert = [f.get_internal_type() in adapted for f in fields]
    # Django's cursor binds on the client, spelling every array out as text; a plain psycopg
    # cursor on the same connection (and transaction) sends them in binary.
    with (
        connection.cursor() as django_cursor,
        Cursor(connection.connection) if postgres else nullcontext(django_cursor) as cursor,
    ):
        for start in range(0, len(rows), chunk):
            values = []
            for row in rows[start : start + chunk]:
                line = [row.get(f.attname, defaults[f.attname]) for f in fields]
                for i, f in enumerate(fields):
                    if convert[i]:
                        line[i] = f.get_db_prep_save(line[i], connection)
                values.append(line)
            if postgres:
                arrays = ", ".join(f"%b::{f.db_type(connection)}[]" for f in fields)
                sql = (
                    f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}) "
                    f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {returning}"
                )
                params = [list(column) for column in zip(*values, strict=True)]
            else:
                one = "(" + ", ".join(["%s"] * len(fields)) + ")"
                sql = (
                    f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(values))} "
                    f"ON CONFLICT ({conflict}) DO NOTHING RETURNING {returning}"
                )
                params = [v for row in values for v in row]
            cursor.execute(sql, params)
            inserted.update(tuple(row) for row in cursor.fetchall())
    return inserted
