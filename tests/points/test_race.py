"""100 residents race for the last items of a reward on PostgreSQL."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.accounts import services as accounts
from linli.core.scoping import SYSTEM, Actor
from linli.ledger import selectors as ledger_selectors
from linli.org import services as org
from linli.org.choices import Relation
from linli.points import services
from linli.points.choices import RedemptionState
from linli.points.models import Item, Redemption
from tests.factories import World
from tests.points.conftest import give

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

RESIDENTS = 100
STOCK = 7
# PostgreSQL allows 100 connections here; like a web server's pool, 40 threads carry the 100
# residents' requests, all released at once.
CONNECTIONS = 40


def test_never_sells_more_than_the_stock(transactional_db):
    w = World.build()
    services.rules_ensure()
    item = services.item_save(
        actor=SYSTEM, unit=w.units["cA"], kind="goods", name="环保购物袋", cost=10, stock=STOCK
    )
    users = []
    for n in range(RESIDENTS):
        household = org.household_create(
            actor=SYSTEM, building=w.buildings["A1"], stairwell="2单元", room=f"{n + 200}"
        )
        person = org.person_register(
            actor=SYSTEM, household=household, name=f"抢购{n}", relation=Relation.OWNER
        )
        give(person, 20, f"seed-{n}")
        users.append(
            accounts.resident_account_create(
                actor=SYSTEM,
                person=person,
                password="pw",
                username=f"race{n}",
                check_password=False,
            )
        )
    sold, refused, errors = [], [], []
    barrier = threading.Barrier(CONNECTIONS)

    def buy(share):
        try:
            barrier.wait()
            for user in share:
                try:
                    redemption = services.redeem(
                        actor=Actor(user), item=Item.objects.get(pk=item.pk)
                    )
                    sold.append(redemption.pk)
                except ValidationError:
                    refused.append(user.pk)
        except Exception as exc:  # lock timeouts or deadlocks would show here
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=buy, args=(users[n::CONNECTIONS],)) for n in range(CONNECTIONS)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(sold) == STOCK and len(refused) == RESIDENTS - STOCK
    item.refresh_from_db()
    assert item.stock == 0
    assert Redemption.objects.filter(item=item, state=RedemptionState.PENDING).count() == STOCK
    assert ledger_selectors.check() == []
