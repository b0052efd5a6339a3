"""Concurrent confirmations on PostgreSQL: a service is deposited once, and a volunteer's
caps hold when several of their services are reviewed at the same moment."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.core.scoping import Actor
from linli.ledger import selectors as ledger_selectors
from linli.timebank import selectors, services
from linli.timebank.models import Policy, Service
from tests.timebank.conftest import DAY, serve

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(fns):
    errors, refused = [], []
    barrier = threading.Barrier(len(fns))

    def run(fn):
        try:
            barrier.wait()
            fn()
        except ValidationError:
            refused.append(fn)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in fns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors, refused


def test_double_review_deposits_once(tb):
    service = serve(tb, tb.people["elder58"], minutes=90)
    services.service_confirm(actor=tb.actor("grid_a1"), service=service)
    reviewers = [tb.users["community_a"], tb.users["street"]] * 3

    def review(user):
        return lambda: services.service_review(
            actor=Actor(user), service=Service.objects.get(pk=service.pk), approve=True
        )

    errors, refused = race([review(u) for u in reviewers])
    assert errors == [] and len(refused) == len(reviewers) - 1
    assert selectors.account_summary(tb.people["vol"])["balance"] == 90
    assert ledger_selectors.check() == []


def test_simultaneous_reviews_never_pass_the_cap(tb):
    Policy.objects.filter(unit=tb.units["street"]).update(lifetime_cap_minutes=200)
    waiting = []
    for n in range(5):
        elder = tb.people["elder58" if n % 2 else "elder61"]
        service = serve(tb, elder, start=DAY + datetime.timedelta(days=n), minutes=60)
        services.service_confirm(actor=tb.actor("grid_a1"), service=service)
        waiting.append(service)

    def review(service):
        return lambda: services.service_review(
            actor=Actor(tb.users["community_a"]), service=service, approve=True
        )

    errors, refused = race([review(s) for s in waiting])
    assert errors == [] and refused == []
    assert selectors.account_summary(tb.people["vol"])["balance"] == 200
    overflow = sum(
        Service.objects.filter(pk__in=[s.pk for s in waiting]).values_list("overflow", flat=True)
    )
    assert overflow == 100
    assert ledger_selectors.check() == []
