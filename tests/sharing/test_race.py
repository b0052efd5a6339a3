"""50 residents compete for one slot on PostgreSQL: exactly the capacity succeeds."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.accounts import services as accounts
from linli.core.scoping import SYSTEM, Actor
from linli.org import services as org
from linli.org.choices import Relation
from linli.sharing import services
from linli.sharing.models import Booking, Resource, Seat
from tests.sharing.conftest import tomorrow_at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CLIENTS = 50


@pytest.mark.parametrize("capacity", [1, 3])
def test_exactly_the_capacity_succeeds(sw, capacity):
    Resource.objects.filter(pk=sw.clinic.pk).update(capacity=capacity, max_per_week=50)
    users = []
    for n in range(CLIENTS):
        building = sw.buildings["B1" if n % 2 else "A1"]
        household = org.household_create(
            actor=SYSTEM, building=building, stairwell="9单元", room=f"{n + 500}"
        )
        person = org.person_register(
            actor=SYSTEM, household=household, name=f"抢约{n}", relation=Relation.OWNER
        )
        users.append(
            accounts.resident_account_create(
                actor=SYSTEM,
                person=person,
                password="pw",
                username=f"book{n}",
                check_password=False,
            )
        )
    start = tomorrow_at(10)
    won, full, errors = [], [], []
    barrier = threading.Barrier(CLIENTS)

    def attempt(user):
        try:
            barrier.wait()
            won.append(
                services.booking_create(
                    actor=Actor(user),
                    resource=Resource.objects.get(pk=sw.clinic.pk),
                    start=start,
                    end=start + datetime.timedelta(hours=1),
                ).pk
            )
        except ValidationError:
            full.append(user.pk)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(won) == capacity and len(full) == CLIENTS - capacity
    assert Booking.objects.filter(resource=sw.clinic).count() == capacity
    assert Seat.objects.filter(resource=sw.clinic).count() == capacity
