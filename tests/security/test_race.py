import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from linli.security import services
from linli.security.models import Alarm

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_ingest_processes_racing_open_one_alarm(devices):
    device = devices["smoke"]
    at = datetime(2026, 3, 2, tzinfo=UTC)
    barrier = threading.Barrier(4)
    errors = []

    def raise_one():
        try:
            barrier.wait()
            with transaction.atomic():
                services.alarm_raise(device=device, type="smoke", severity="critical", at=at)
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=raise_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    alarm = Alarm.objects.get(device=device, type="smoke")
    assert alarm.repeat_count == 4
