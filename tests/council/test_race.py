import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.core.scoping import SYSTEM, Actor
from linli.council import services
from linli.council.models import CoSign, Resolution, Topic, Vote
from tests.factories import World


def _hammer(fn, n=4):
    outcomes = []

    def run():
        try:
            fn()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_cosign_and_vote_count_once():
    from tests.council import conftest

    world = World.build()
    council = conftest.council.__wrapped__(world)
    topic = services.topic_propose(actor=world.actor("resident_a1"), council=council, title="t")
    signer = Actor(world.users["A1b"])
    assert _hammer(lambda: services.topic_cosign(actor=signer, topic=topic)) == [
        "ok",
        "refused",
        "refused",
        "refused",
    ]
    assert CoSign.objects.filter(topic=topic).count() == 1
    assert Topic.objects.get(pk=topic.pk).cosign_count == 1

    services.topic_cosign(actor=world.actor("A1c"), topic=topic)
    services.topic_decide(actor=SYSTEM, topic=topic, decision="accept")
    meeting = services.meeting_create(
        actor=SYSTEM,
        council=council,
        title="m",
        starts_at=conftest.NOW,
        place="p",
        topics=[Topic.objects.get(pk=topic.pk)],
    )
    resolution = services.resolution_propose(actor=SYSTEM, meeting=meeting, topic=topic, text="r")
    member = Actor(world.users["A1b"])
    services.meeting_checkin(actor=member, meeting=meeting, token=meeting.checkin_token)
    assert _hammer(
        lambda: services.vote_cast(actor=member, resolution=resolution, choice="for")
    ) == ["ok", "refused", "refused", "refused"]
    assert Vote.objects.filter(resolution=resolution).count() == 1
    assert Resolution.objects.get(pk=resolution.pk).votes_for == 1
