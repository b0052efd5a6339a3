"""Every write to the ledger. Callers pass an idempotency ``key``: a retry returns the first
result and never applies twice.

Locking: accounts are locked once per transaction, in primary-key order, after any hold row; so
two transactions never wait on each other in opposite orders. Floors and ceilings are checked
here under those locks and again by the database's check constraints.
"""

import datetime
import uuid
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core.locking import lock_rows
from linli.ledger.choices import HoldState
from linli.ledger.models import Account, Hold, Transfer


def account_get_or_create(*, owner=None, unit, code="", floor=0, ceiling=None, name=""):
    """The account of ``owner`` (a Person, an Organisation, or None for a system account)."""
    from linli.org.models import Organisation, Person

    lookup = {"unit": unit, "code": code, "person": None, "organisation": None}
    if isinstance(owner, Person):
        lookup["person"] = owner
    elif isinstance(owner, Organisation):
        lookup["organisation"] = owner
    elif owner is not None:
        raise TypeError(f"ledger accounts belong to a Person or an Organisation, not {owner!r}")
    elif not code:
        raise ValueError("a system account needs a code")
    account = Account.objects.filter(**lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(**lookup, floor=floor, ceiling=ceiling, name=name)
    except IntegrityError:
        # Another request created it between our read and our insert.
        return Account.objects.get(**lookup)


def account_set_limits(*, account, floor=0, ceiling=None):
    with transaction.atomic():
        locked = lock_rows(Account, [account.pk])[account.pk]
        locked.floor, locked.ceiling = floor, ceiling
        _check_limits(locked)
        locked.save(update_fields=["floor", "ceiling"])
    return locked


@dataclass
class Leg:
    """One transfer of a batch."""

    debit: Account
    credit: Account
    amount: int
    kind: str
    memo: str = ""
    rule: str = ""
    rule_version: int = 0
    # Imports of past records (e.g. a time bank's history) keep each entry's own date.
    at: datetime.datetime | None = None


def _check_amount(amount, debit, credit):
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValidationError(_("数额必须是正整数"))
    if debit.pk == credit.pk:
        raise ValidationError(_("不能转给同一个账户"))
    if debit.unit != credit.unit:
        raise ValidationError(_("两个账户的单位不同"))


def _check_limits(account):
    if account.floor is not None and account.balance - account.held < account.floor:
        raise ValidationError(_("余额不足"), code="insufficient")
    if account.ceiling is not None and account.balance > account.ceiling:
        raise ValidationError(_("超过账户上限"), code="ceiling")


def _move(locked, leg):
    debit, credit = locked[leg.debit.pk], locked[leg.credit.pk]
    _check_amount(leg.amount, debit, credit)
    debit.balance -= leg.amount
    credit.balance += leg.amount
    _check_limits(debit)
    _check_limits(credit)


def _save_balances(accounts):
    Account.objects.bulk_update(list(accounts), ["balance", "held"])


def _refresh(*accounts, locked):
    for account in accounts:
        fresh = locked.get(account.pk)
        if fresh is not None:
            account.balance, account.held = fresh.balance, fresh.held


def _user(actor):
    return actor.user if actor is not None and getattr(actor, "user", None) else None


def _first_by_key(model, key):
    return model.objects.filter(key=key).order_by().first()


def _idempotent(model):
    """Run the atomic body; if it lost a race on the unique key, return the winner's row.

    The body runs in its own transaction (or savepoint, when nested), so the loser's balance
    changes are rolled back with its failed insert.
    """

    def decorator(body):
        def wrapper(**kwargs):
            try:
                return body(**kwargs)
            except IntegrityError:
                existing = _first_by_key(model, kwargs["key"])
                if existing is None:
                    raise
                return existing

        wrapper.__name__, wrapper.__doc__ = body.__name__, body.__doc__
        return wrapper

    return decorator


def transfer(
    *,
    actor,
    debit,
    credit,
    amount,
    kind,
    key,
    memo="",
    rule="",
    rule_version=0,
    reverses=None,
    at=None,
    _hold=None,
):
    """Move ``amount`` from ``debit`` to ``credit`` once per ``key``.

    On PostgreSQL a plain transfer is one call of the ``ledger_transfer_apply`` function
    (migration 0002); holds and reversals, and other databases, take the Python path.
    """
    args = {
        "actor": actor,
        "debit": debit,
        "credit": credit,
        "amount": amount,
        "kind": kind,
        "key": key,
        "memo": memo,
        "rule": rule,
        "rule_version": rule_version,
        "at": at,
    }
    if connection.vendor == "postgresql" and _hold is None and reverses is None:
        return _transfer_pg(**args)
    return _transfer_py(**args, reverses=reverses, _hold=_hold)


def _transfer_pg(*, actor, debit, credit, amount, kind, key, memo, rule, rule_version, at):
    _check_amount(amount, debit, credit)
    at = at or timezone.now()
    user = _user(actor)
    params = [
        debit.pk,
        credit.pk,
        amount,
        kind,
        key,
        memo[:200],
        rule,
        rule_version,
        user.pk if user else None,
        at,
    ]
    # Inside a caller's transaction a refusal must not poison it: run in a savepoint there.
    guard = transaction.atomic() if connection.in_atomic_block else nullcontext()
    try:
        with guard, connection.cursor() as cursor:
            cursor.execute(
                "SELECT transfer_id, debit_balance, credit_balance, created"
                " FROM ledger_transfer_apply(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                params,
            )
            transfer_id, debit_balance, credit_balance, created = cursor.fetchone()
    except DatabaseError as exc:
        state = getattr(exc.__cause__, "sqlstate", None)
        if state == "LL001":
            raise ValidationError(_("余额不足"), code="insufficient") from exc
        if state == "LL002":
            raise ValidationError(_("超过账户上限"), code="ceiling") from exc
        raise
    if not created:
        return Transfer.objects.get(pk=transfer_id)
    debit.balance, credit.balance = debit_balance, credit_balance
    made = Transfer(
        pk=transfer_id,
        debit=debit,
        credit=credit,
        amount=amount,
        kind=kind,
        memo=memo[:200],
        rule=rule,
        rule_version=rule_version,
        key=key,
        created_by=user,
        created_at=at,
    )
    made._state.adding = False
    made._state.db = connection.alias
    return made


@_idempotent(Transfer)
@transaction.atomic
def _transfer_py(
    *,
    actor,
    debit,
    credit,
    amount,
    kind,
    key,
    memo="",
    rule="",
    rule_version=0,
    reverses=None,
    at=None,
    _hold=None,
):
    _check_amount(amount, debit, credit)
    locked = lock_rows(Account, [debit.pk, credit.pk])
    # Checked under the locks: a retry of a committed transfer returns it even if the same
    # movement would no longer fit the floor.
    existing = _first_by_key(Transfer, key)
    if existing is not None:
        return existing
    if _hold is not None:
        locked[debit.pk].held -= _hold.amount
    _move(locked, Leg(debit, credit, amount, kind, memo, rule, rule_version))
    _save_balances(locked.values())
    made = Transfer.objects.create(
        debit=debit,
        credit=credit,
        amount=amount,
        kind=kind,
        memo=memo[:200],
        rule=rule,
        rule_version=rule_version,
        key=key,
        reverses=reverses,
        hold=_hold,
        created_by=_user(actor),
        created_at=at or timezone.now(),
    )
    _refresh(debit, credit, locked=locked)
    return made


@transaction.atomic
def transfer_reverse(*, actor, original, key, memo=""):
    """Undo ``original`` with a linked transfer the other way (at most once)."""
    original = Transfer.objects.select_for_update().get(pk=original.pk)
    if original.reverses_id:
        raise ValidationError(_("冲正记录不能再冲正"))
    already = Transfer.objects.filter(reverses=original).first()
    if already is not None:
        return already
    return transfer(
        actor=actor,
        debit=original.credit,
        credit=original.debit,
        amount=original.amount,
        kind="reversal",
        key=key,
        memo=memo or _("冲正 #%(id)s") % {"id": original.pk},
        rule=original.rule,
        rule_version=original.rule_version,
        reverses=original,
    )


def _batch_done(key):
    first = Transfer.objects.filter(key=f"{key}:0").first()
    if first is None:
        return []
    return list(Transfer.objects.filter(batch=first.batch).order_by("pk"))


@transaction.atomic
def batch(*, actor, legs, key, at=None):
    """Apply several transfers all together or not at all; keys are ``<key>:<n>``."""
    legs = list(legs)
    if not legs:
        return []
    done = _batch_done(key)
    if done:
        return done
    ids = {leg.debit.pk for leg in legs} | {leg.credit.pk for leg in legs}
    locked = lock_rows(Account, ids)
    done = _batch_done(key)
    if done:
        return done
    for leg in legs:
        _move(locked, leg)
    batch_id = uuid.uuid4()
    when = at or timezone.now()
    user = _user(actor)
    try:
        with transaction.atomic():
            _save_balances(locked.values())
            made = Transfer.objects.bulk_create(
                Transfer(
                    debit=leg.debit,
                    credit=leg.credit,
                    amount=leg.amount,
                    kind=leg.kind,
                    memo=leg.memo[:200],
                    rule=leg.rule,
                    rule_version=leg.rule_version,
                    key=f"{key}:{n}",
                    batch=batch_id,
                    created_by=user,
                    created_at=leg.at or when,
                )
                for n, leg in enumerate(legs)
            )
    except IntegrityError:
        return _batch_done(key)
    for leg in legs:
        _refresh(leg.debit, leg.credit, locked=locked)
    return made


@_idempotent(Hold)
@transaction.atomic
def hold_create(
    *,
    actor,
    debit,
    credit,
    amount,
    kind,
    key,
    memo="",
    rule="",
    rule_version=0,
    expires_at=None,
):
    """Reserve ``amount`` on ``debit`` for a later :func:`hold_post` or :func:`hold_void`."""
    _check_amount(amount, debit, credit)
    locked = lock_rows(Account, [debit.pk])
    existing = _first_by_key(Hold, key)
    if existing is not None:
        return existing
    account = locked[debit.pk]
    account.held += amount
    _check_limits(account)
    account.save(update_fields=["held"])
    made = Hold.objects.create(
        debit=debit,
        credit=credit,
        amount=amount,
        kind=kind,
        memo=memo[:200],
        rule=rule,
        rule_version=rule_version,
        key=key,
        expires_at=expires_at,
    )
    debit.balance, debit.held = account.balance, account.held
    return made


def _lock_hold(hold):
    return Hold.objects.select_for_update().select_related("debit", "credit").get(pk=hold.pk)


@transaction.atomic
def hold_post(*, actor, hold, amount=None, at=None):
    """Turn a pending hold into a transfer of up to the held amount, exactly once."""
    hold = _lock_hold(hold)
    if hold.state == HoldState.POSTED:
        return hold.transfer
    if hold.state != HoldState.PENDING:
        raise ValidationError(_("该冻结已撤销或过期"))
    amount = hold.amount if amount is None else amount
    if not isinstance(amount, int) or amount <= 0 or amount > hold.amount:
        raise ValidationError(_("入账数额必须在 1 到冻结额之间"))
    posted = transfer(
        actor=actor,
        debit=hold.debit,
        credit=hold.credit,
        amount=amount,
        kind=hold.kind,
        key=f"hold:{hold.pk}",
        memo=hold.memo,
        rule=hold.rule,
        rule_version=hold.rule_version,
        at=at,
        _hold=hold,
    )
    hold.state, hold.closed_at = HoldState.POSTED, at or timezone.now()
    hold.save(update_fields=["state", "closed_at"])
    return posted


@transaction.atomic
def hold_void(*, actor, hold, expired=False, at=None):
    """Release a pending hold; voiding twice is harmless, voiding a posted hold is refused."""
    hold = _lock_hold(hold)
    if hold.state in (HoldState.VOIDED, HoldState.EXPIRED):
        return hold
    if hold.state == HoldState.POSTED:
        raise ValidationError(_("该冻结已入账，不能撤销"))
    account = lock_rows(Account, [hold.debit_id])[hold.debit_id]
    account.held -= hold.amount
    account.save(update_fields=["held"])
    hold.state = HoldState.EXPIRED if expired else HoldState.VOIDED
    hold.closed_at = at or timezone.now()
    hold.save(update_fields=["state", "closed_at"])
    return hold


def holds_expire_due(*, now=None):
    """Expire pending holds past their time, one transaction each; returns how many."""
    now = now or timezone.now()
    due = Hold.objects.filter(state=HoldState.PENDING, expires_at__lte=now).values_list(
        "pk", flat=True
    )
    count = 0
    for pk in list(due[:5000]):
        hold = Hold.objects.get(pk=pk)
        if hold_void(actor=None, hold=hold, expired=True, at=now).state == HoldState.EXPIRED:
            count += 1
    return count
