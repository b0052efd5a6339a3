"""Random transfers, holds, posts, voids, reversals and retries keep every invariant."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from linli.core.scoping import SYSTEM
from linli.ledger import selectors, services
from linli.ledger.choices import HoldState, Unit
from linli.ledger.models import Account, Hold, Transfer

pytestmark = pytest.mark.django_db


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        Transfer.objects.filter(reverses__isnull=False).delete()
        Transfer.objects.all().delete()
        Hold.objects.all().delete()
        Account.objects.all().delete()
        self.issuance = services.account_get_or_create(
            unit=Unit.POINTS, code="issuance", floor=None
        )
        self.accounts = [
            services.account_get_or_create(unit=Unit.POINTS, code=f"acct{i}", ceiling=500)
            for i in range(3)
        ]
        self.model = {a.pk: 0 for a in self.accounts}
        self.model_held = {a.pk: 0 for a in self.accounts}
        self.holds = []
        self.transfers = []
        self.n = 0

    def key(self):
        self.n += 1
        return f"k{self.n}"

    @rule(i=st.integers(0, 2), amount=st.integers(1, 200))
    def issue(self, i, amount):
        acct = self.accounts[i]
        try:
            t = services.transfer(
                actor=SYSTEM,
                debit=self.issuance,
                credit=acct,
                amount=amount,
                kind="e",
                key=self.key(),
            )
        except ValidationError:
            assert self.model[acct.pk] + amount > 500
            return
        self.model[acct.pk] += amount
        self.transfers.append(t)

    @rule(i=st.integers(0, 2), j=st.integers(0, 2), amount=st.integers(1, 200))
    def move(self, i, j, amount):
        if i == j:
            return
        src, dst = self.accounts[i], self.accounts[j]
        ok = (
            self.model[src.pk] - self.model_held[src.pk] - amount >= 0
            and self.model[dst.pk] + amount <= 500
        )
        try:
            t = services.transfer(
                actor=SYSTEM, debit=src, credit=dst, amount=amount, kind="m", key=self.key()
            )
        except ValidationError:
            assert not ok
            return
        assert ok
        self.model[src.pk] -= amount
        self.model[dst.pk] += amount
        self.transfers.append(t)

    @precondition(lambda self: self.transfers)
    @rule(data=st.data())
    def retry(self, data):
        t = data.draw(st.sampled_from(self.transfers))
        again = services.transfer(
            actor=SYSTEM, debit=t.debit, credit=t.credit, amount=t.amount, kind=t.kind, key=t.key
        )
        assert again.pk == t.pk

    @rule(i=st.integers(0, 2), amount=st.integers(1, 200))
    def hold(self, i, amount):
        src = self.accounts[i]
        ok = self.model[src.pk] - self.model_held[src.pk] - amount >= 0
        try:
            h = services.hold_create(
                actor=SYSTEM,
                debit=src,
                credit=self.issuance,
                amount=amount,
                kind="h",
                key=self.key(),
            )
        except ValidationError:
            assert not ok
            return
        assert ok
        self.model_held[src.pk] += amount
        self.holds.append(h)

    @precondition(lambda self: self.holds)
    @rule(data=st.data(), post=st.booleans())
    def close_hold(self, data, post):
        h = data.draw(st.sampled_from(self.holds))
        h.refresh_from_db()
        if h.state != HoldState.PENDING:
            with pytest.raises(ValidationError):
                (services.hold_void if h.state == HoldState.POSTED else services.hold_post)(
                    actor=SYSTEM, hold=h
                )
            return
        self.model_held[h.debit_id] -= h.amount
        if post:
            part = data.draw(st.integers(1, h.amount))
            services.hold_post(actor=SYSTEM, hold=h, amount=part)
            self.model[h.debit_id] -= part
        else:
            services.hold_void(actor=SYSTEM, hold=h)

    @precondition(lambda self: self.transfers)
    @rule(data=st.data())
    def reverse(self, data):
        t = data.draw(st.sampled_from(self.transfers))
        if t.reverses_id or Transfer.objects.filter(reverses=t).exists():
            return
        debit_pk, credit_pk = t.credit_id, t.debit_id
        ok = (
            debit_pk not in self.model
            or self.model[debit_pk] - self.model_held[debit_pk] - t.amount >= 0
        ) and (credit_pk not in self.model or self.model[credit_pk] + t.amount <= 500)
        try:
            services.transfer_reverse(actor=SYSTEM, original=t, key=self.key())
        except ValidationError:
            assert not ok
            return
        assert ok
        if debit_pk in self.model:
            self.model[debit_pk] -= t.amount
        if credit_pk in self.model:
            self.model[credit_pk] += t.amount

    @invariant()
    def balances_match_model_and_history(self):
        for acct in self.accounts:
            acct.refresh_from_db()
            assert acct.balance == self.model[acct.pk]
            assert acct.held == self.model_held[acct.pk]
            assert acct.balance - acct.held >= 0 and acct.balance <= 500
        assert selectors.check() == []


LedgerMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def test_ledger_state_machine(db):
    LedgerMachine.TestCase().runTest()
