"""Concurrent sign-ups on PostgreSQL: the capacity holds and the rest wait in order."""

import threading

import pytest
from django.db import connection

from linli.accounts import services as accounts
from linli.core.scoping import SYSTEM, Actor
from linli.org import services as org
from linli.org.choices import Relation
from linli.socialorgs import services
from linli.socialorgs.choices import SignupState
from linli.socialorgs.models import Activity, Signup
from tests.socialorgs.conftest import publish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 40
CAPACITY = 5


def test_capacity_and_waiting_list_hold(so):
    activity = publish(so, actor=None, org="association", capacity=CAPACITY)
    users = []
    for n in range(PEOPLE):
        household = org.household_create(
            actor=SYSTEM,
            building=so.buildings["B1" if n % 2 else "A1"],
            stairwell="5单元",
            room=f"{n + 700}",
        )
        person = org.person_register(
            actor=SYSTEM, household=household, name=f"报名{n}", relation=Relation.OWNER
        )
        users.append(
            accounts.resident_account_create(
                actor=SYSTEM,
                person=person,
                password="pw",
                username=f"join{n}",
                check_password=False,
            )
        )
    errors = []
    barrier = threading.Barrier(PEOPLE)

    def join(user):
        try:
            barrier.wait()
            services.signup(actor=Actor(user), activity=Activity.objects.get(pk=activity.pk))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = Signup.objects.filter(activity=activity)
    assert rows.filter(state=SignupState.CONFIRMED).count() == CAPACITY
    assert rows.filter(state=SignupState.WAITING).count() == PEOPLE - CAPACITY
    assert Activity.objects.get(pk=activity.pk).confirmed == CAPACITY
    first_waiting = rows.filter(state=SignupState.WAITING).order_by("created_at", "pk").first()
    confirmed = rows.filter(state=SignupState.CONFIRMED).first()
    services.signup_cancel(actor=SYSTEM, signup_obj=confirmed)
    first_waiting.refresh_from_db()
    assert first_waiting.state == SignupState.CONFIRMED
