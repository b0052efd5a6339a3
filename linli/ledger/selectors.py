"""Reads of the ledger. A balance is one row read, whatever the history length."""

from django.db.models import Q, Sum

from linli.ledger.models import Account, Transfer


def balance(account):
    return Account.objects.values_list("balance", flat=True).get(pk=account.pk)


def available(account):
    row = Account.objects.values("balance", "held").get(pk=account.pk)
    return row["balance"] - row["held"]


def history(account, *, limit=None):
    """Transfers in and out of ``account``, newest first; the caller has checked access."""
    qs = (
        Transfer.objects.filter(Q(debit=account) | Q(credit=account))
        .select_related("debit", "credit")
        .order_by("-created_at", "-pk")
    )
    return qs[:limit] if limit else qs


def signed(account, transfer):
    return transfer.amount if transfer.credit_id == account.pk else -transfer.amount


def total_issued(*, debit=None, credit=None, kind=None, **filters):
    qs = Transfer.objects.filter(**filters)
    if debit is not None:
        qs = qs.filter(debit=debit)
    if credit is not None:
        qs = qs.filter(credit=credit)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.aggregate(total=Sum("amount"))["total"] or 0


def check():
    """Every way the ledger could be wrong, as a list of human-readable problems (empty = sound).

    Balances against the sum of their transfers, holds against pending holds, each unit summing
    to zero. Aggregates run in the database so this scales with the number of accounts.
    """
    from linli.ledger.choices import HoldState
    from linli.ledger.models import Hold

    problems = []
    credits = dict(
        Transfer.objects.values("credit").annotate(s=Sum("amount")).values_list("credit", "s")
    )
    debits = dict(
        Transfer.objects.values("debit").annotate(s=Sum("amount")).values_list("debit", "s")
    )
    held = dict(
        Hold.objects.filter(state=HoldState.PENDING)
        .values("debit")
        .annotate(s=Sum("amount"))
        .values_list("debit", "s")
    )
    per_unit = {}
    for pk, unit, bal, hld in Account.objects.values_list("pk", "unit", "balance", "held"):
        expected = credits.get(pk, 0) - debits.get(pk, 0)
        if bal != expected:
            problems.append(f"account {pk}: balance {bal} != transfers {expected}")
        if hld != held.get(pk, 0):
            problems.append(f"account {pk}: held {hld} != pending holds {held.get(pk, 0)}")
        per_unit[unit] = per_unit.get(unit, 0) + bal
    for unit, total in per_unit.items():
        if total != 0:
            problems.append(f"unit {unit}: balances sum to {total}, not 0")
    return problems
