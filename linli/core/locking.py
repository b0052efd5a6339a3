"""Row locks for scarce things (balances, stock, capacity, ballots), after pretix' lock_objects.

Take them once per transaction, late, in primary-key order (so two transactions can never wait on
each other in opposite orders), with a timeout so that a stuck lock fails loudly instead of
hanging a request.
"""

from django.db import connection, transaction


def lock_rows(model, ids, *, timeout_ms=5000):
    """Lock the rows of ``model`` with these ids for the rest of the transaction; return them."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_rows must be called inside transaction.atomic()")
    ids = sorted(set(ids))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(timeout_ms)}ms"])
    # SQLite runs every transaction with BEGIN IMMEDIATE (see settings), which already
    # serialises writers; select_for_update is a no-op there.
    rows = model._default_manager.select_for_update().filter(pk__in=ids).order_by("pk")
    return {row.pk: row for row in rows}
