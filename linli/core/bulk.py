"""Bulk inserts for large imports and generated data.

``bulk_insert(Model, rows)`` takes plain dicts of field values (by attname, e.g. ``household_id``)
and returns the new primary keys in order, so that callers can link child rows. On PostgreSQL the
rows go in through COPY with keys taken from the table's sequence first; elsewhere through
``bulk_create``. Missing fields get their defaults; ``auto_now``/``auto_now_add`` fields get the
current time. As with ``bulk_create``, ``save()`` is not called: callers validate beforehand.
"""

import gc
from contextlib import contextmanager

from django.db import connections, router
from django.utils import timezone


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
