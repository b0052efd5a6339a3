import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from linli.core.scoping import SYSTEM
from linli.ledger import selectors, services
from linli.ledger.choices import HoldState, Unit
from linli.ledger.models import Account, Transfer


def fund(issuance, account, amount, key):
    return services.transfer(
        actor=SYSTEM, debit=issuance, credit=account, amount=amount, kind="earn", key=key
    )


def test_same_key_applies_once(accounts):
    issuance, (a, _b, _c) = accounts
    first = fund(issuance, a, 50, "k1")
    again = fund(issuance, a, 50, "k1")
    assert first.pk == again.pk
    assert selectors.balance(a) == 50
    assert selectors.balance(issuance) == -50


def test_floor_refuses_overdraft_and_changes_nothing(accounts):
    issuance, (a, b, _c) = accounts
    fund(issuance, a, 10, "k1")
    with pytest.raises(ValidationError):
        services.transfer(actor=SYSTEM, debit=a, credit=b, amount=11, kind="gift", key="k2")
    assert selectors.balance(a) == 10 and selectors.balance(b) == 0
    assert not Transfer.objects.filter(key="k2").exists()


def test_ceiling_is_enforced(world):
    issuance = services.account_get_or_create(unit=Unit.MINUTES, code="issuance", floor=None)
    capped = services.account_get_or_create(
        owner=world.people["A1"], unit=Unit.MINUTES, ceiling=90_000
    )
    services.transfer(
        actor=SYSTEM, debit=issuance, credit=capped, amount=89_990, kind="deposit", key="d1"
    )
    with pytest.raises(ValidationError):
        services.transfer(
            actor=SYSTEM, debit=issuance, credit=capped, amount=11, kind="deposit", key="d2"
        )
    assert selectors.balance(capped) == 89_990


@pytest.mark.parametrize("amount", [0, -5, 1.5, True, "3"])
def test_amount_must_be_a_positive_integer(accounts, amount):
    issuance, (a, _b, _c) = accounts
    with pytest.raises(ValidationError):
        fund(issuance, a, amount, "bad")


def test_units_do_not_mix(world, accounts):
    issuance, (_a, _b, _c) = accounts
    minutes = services.account_get_or_create(owner=world.people["A1"], unit=Unit.MINUTES)
    with pytest.raises(ValidationError):
        services.transfer(actor=SYSTEM, debit=issuance, credit=minutes, amount=1, kind="x", key="m")


def test_hold_post_partial_releases_the_rest(accounts):
    issuance, (a, b, c) = accounts
    fund(issuance, a, 100, "k1")
    hold = services.hold_create(actor=SYSTEM, debit=a, credit=b, amount=60, kind="redeem", key="h")
    assert selectors.available(a) == 40
    with pytest.raises(ValidationError):
        services.transfer(actor=SYSTEM, debit=a, credit=c, amount=41, kind="gift", key="g")
    posted = services.hold_post(actor=SYSTEM, hold=hold, amount=45)
    assert posted.amount == 45
    assert services.hold_post(actor=SYSTEM, hold=hold).pk == posted.pk
    a.refresh_from_db()
    assert (a.balance, a.held) == (55, 0)
    with pytest.raises(ValidationError):
        services.hold_void(actor=SYSTEM, hold=hold)


def test_hold_void_twice_and_post_after_void(accounts):
    issuance, (a, b, _c) = accounts
    fund(issuance, a, 100, "k1")
    hold = services.hold_create(actor=SYSTEM, debit=a, credit=b, amount=30, kind="redeem", key="h")
    services.hold_void(actor=SYSTEM, hold=hold)
    services.hold_void(actor=SYSTEM, hold=hold)
    a.refresh_from_db()
    assert a.held == 0
    with pytest.raises(ValidationError):
        services.hold_post(actor=SYSTEM, hold=hold)


def test_expiry_job_releases_due_holds_only(accounts):
    from datetime import timedelta

    from django.utils import timezone

    issuance, (a, b, _c) = accounts
    fund(issuance, a, 100, "k1")
    now = timezone.now()
    due = services.hold_create(
        actor=SYSTEM, debit=a, credit=b, amount=10, kind="r", key="h1", expires_at=now
    )
    later = services.hold_create(
        actor=SYSTEM,
        debit=a,
        credit=b,
        amount=20,
        kind="r",
        key="h2",
        expires_at=now + timedelta(days=1),
    )
    assert services.holds_expire_due(now=now) == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.state, later.state) == (HoldState.EXPIRED, HoldState.PENDING)
    assert selectors.available(a) == 80


def test_batch_is_all_or_nothing(accounts):
    issuance, (a, b, c) = accounts
    fund(issuance, a, 10, "k1")
    legs = [
        services.Leg(a, b, 5, "gift"),
        services.Leg(a, c, 6, "gift"),  # overdraws a: the whole batch must fail
    ]
    with pytest.raises(ValidationError):
        services.batch(actor=SYSTEM, legs=legs, key="b1")
    assert selectors.balance(a) == 10 and selectors.balance(b) == 0
    ok = services.batch(
        actor=SYSTEM, legs=[services.Leg(a, b, 5, "gift"), services.Leg(b, c, 5, "gift")], key="b2"
    )
    assert len(ok) == 2
    assert services.batch(actor=SYSTEM, legs=[services.Leg(a, b, 5, "gift")], key="b2") == ok
    assert [selectors.balance(x) for x in (a, b, c)] == [5, 0, 5]


def test_reversal_is_linked_and_happens_once(accounts):
    issuance, (a, _b, _c) = accounts
    original = fund(issuance, a, 40, "k1")
    rev = services.transfer_reverse(actor=SYSTEM, original=original, key="r1")
    assert rev.reverses_id == original.pk
    assert services.transfer_reverse(actor=SYSTEM, original=original, key="r2").pk == rev.pk
    assert selectors.balance(a) == 0
    with pytest.raises(ValidationError):
        services.transfer_reverse(actor=SYSTEM, original=rev, key="r3")


def test_ledger_check_detects_a_tampered_balance(accounts, capsys):
    issuance, (a, _b, _c) = accounts
    fund(issuance, a, 40, "k1")
    call_command("ledger_check")
    assert "ledger ok" in capsys.readouterr().out
    Account.objects.filter(pk=a.pk).update(balance=41, floor=None)
    with pytest.raises(CommandError):
        call_command("ledger_check")


def visible(world, name):
    return set(Account.objects.visible_to(world.actor(name)).values_list("pk", flat=True))


def test_each_role_sees_only_its_part(world, accounts):
    _issuance, (a, b, c) = accounts
    assert visible(world, "resident_a1") == {a.pk}
    assert visible(world, "community_a") == {a.pk, b.pk}
    assert visible(world, "grid_a1") == {a.pk}
    assert visible(world, "street") == {a.pk, b.pk, c.pk}
    assert visible(world, "nobody") == set()


def test_a_refusal_inside_a_callers_transaction_leaves_it_usable(accounts):
    from django.db import transaction

    issuance, (a, b, _c) = accounts
    with transaction.atomic():
        with pytest.raises(ValidationError):
            services.transfer(actor=SYSTEM, debit=a, credit=b, amount=5, kind="x", key="no")
        fund(issuance, a, 7, "yes")
    assert selectors.balance(a) == 7 and not Transfer.objects.filter(key="no").exists()
