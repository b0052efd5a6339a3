"""Many threads move value between the same few accounts on PostgreSQL."""

import random
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.core.scoping import SYSTEM
from linli.ledger import selectors, services
from linli.ledger.choices import Unit
from linli.ledger.models import Account, Transfer

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8
MOVES = 60


def test_concurrent_transfers_lose_nothing(transactional_db):
    issuance = services.account_get_or_create(unit=Unit.POINTS, code="issuance", floor=None)
    accounts = [services.account_get_or_create(unit=Unit.POINTS, code=f"race{i}") for i in range(4)]
    for n, acct in enumerate(accounts):
        services.transfer(
            actor=SYSTEM, debit=issuance, credit=acct, amount=100, kind="seed", key=f"seed{n}"
        )
    applied, refused, errors = [], [], []

    def worker(w):
        rng = random.Random(w)
        try:
            for m in range(MOVES):
                src, dst = rng.sample(accounts, 2)
                # Every other thread replays the keys of its neighbour: retries must not double.
                key = f"t{w // 2}-{m}"
                try:
                    t = services.transfer(
                        actor=SYSTEM,
                        debit=Account.objects.get(pk=src.pk),
                        credit=Account.objects.get(pk=dst.pk),
                        amount=rng.randint(1, 60),
                        kind="move",
                        key=key,
                    )
                    applied.append(t.pk)
                except ValidationError:
                    refused.append(key)
        except Exception as exc:  # a deadlock or lock timeout would land here
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    balances = [selectors.balance(a) for a in accounts]
    assert sum(balances) == 400
    assert min(balances) >= 0
    moves = Transfer.objects.filter(kind="move")
    assert moves.count() == len(set(applied))
    assert moves.values("key").distinct().count() == moves.count()
    assert selectors.check() == []
