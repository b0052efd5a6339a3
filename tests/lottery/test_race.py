import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.core.scoping import SYSTEM
from linli.lottery import services
from linli.lottery.models import Draw, Entry
from linli.lottery.selectors import draw_verify
from tests.factories import World


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_entries_and_runs_do_not_double():
    world = World.build()
    draw = services.draw_create(actor=SYSTEM, unit=world.units["cA"], title="t", slots=1)
    errors = []

    def enter():
        try:
            services.draw_enter(actor=SYSTEM, draw=draw, label="x", ref="same")
        except ValidationError as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=enter) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Entry.objects.filter(draw=draw).count() == 1
    assert len(errors) == 3

    services.draw_close(actor=SYSTEM, draw=draw)
    outcomes = []

    def run():
        try:
            services.draw_run(actor=SYSTEM, draw=Draw.objects.get(pk=draw.pk))
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused", "refused"]
    assert draw_verify(Draw.objects.get(pk=draw.pk))
