import datetime

import pytest

from linli.accounts import services as accounts
from linli.core.scoping import SYSTEM, Actor
from linli.org import services as org
from linli.org.choices import Relation
from linli.timebank import services
from linli.timebank.models import Policy
from tests.factories import id_number

TZ = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=TZ)


def resident(w, key, name, birth, building="A1", room="301"):
    household = org.household_create(
        actor=SYSTEM, building=w.buildings[building], stairwell="3单元", room=room
    )
    person = org.person_register(
        actor=SYSTEM,
        household=household,
        name=name,
        relation=Relation.OWNER,
        id_number=id_number(birth=birth),
    )
    user = accounts.resident_account_create(
        actor=SYSTEM, person=person, password="pw-resident", username=key, check_password=False
    )
    w.people[key], w.users[key] = person, user
    return person


@pytest.fixture
def tb(world):
    """Nanjing rules on the test street, an active volunteer and two elders (58 and 61)."""
    services.categories_ensure()
    w = world
    Policy.objects.create(unit=w.units["street"], withdraw_age=60, hardship_age=55)
    resident(w, "vol", "志愿者小王", "19900101", room="401")
    resident(w, "elder58", "张阿姨", "19680301", room="402")
    resident(w, "elder61", "李大爷", "19650101", room="403")
    volunteer = services.volunteer_register(
        actor=Actor(w.users["vol"]), person=w.people["vol"], today=DAY.date()
    )
    services.volunteer_verify(actor=w.actor("community_a"), volunteer=volunteer, approve=True)
    w.volunteer = volunteer
    return w


def serve(w, elder, *, start=DAY, minutes=90, category="home_care", payer=None, served=None):
    """File, accept, check in and out; returns the service awaiting the elder's confirmation."""
    service = services.request_create(
        actor=w.actor("grid_a1"),
        elder=elder,
        category_code=category,
        start=start,
        minutes=minutes,
        payer=payer,
        now=start - datetime.timedelta(days=1),
    )
    vol = w.actor("vol")
    services.service_accept(actor=vol, service=service)
    services.service_check_in(actor=vol, service=service, code=service.code, now=start)
    end = start + datetime.timedelta(minutes=served or minutes)
    return services.service_check_out(actor=vol, service=service, now=end)


def confirm_and_review(w, service):
    services.service_confirm(actor=w.actor("grid_a1"), service=service)
    return services.service_review(actor=w.actor("community_a"), service=service, approve=True)
