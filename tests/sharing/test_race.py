import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.core.scoping import Actor
from linli.sharing import services
from linli.sharing.models import Booking, Seat
from tests.factories import World, make_user
from tests.sharing.conftest import NOW, at, make_resource

CLIENTS = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("capacity", [1, 3])
def test_fifty_clients_compete_for_one_slot(capacity):
    world = World.build()
    resource = make_resource(world, capacity=capacity, needs_approval=False)
    users = [make_user(f"racer{i}", "resident", world.units["cB"]) for i in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS)
    results = []

    def attempt(user):
        try:
            barrier.wait()
            services.booking_create(
                actor=Actor(user), resource=resource, start=at(2, 10), end=at(2, 11), now=NOW
            )
            results.append("ok")
        except ValidationError:
            results.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == capacity
    assert results.count("full") == CLIENTS - capacity
    assert Booking.objects.filter(resource=resource).count() == capacity
    assert Seat.objects.filter(resource=resource).count() == capacity
