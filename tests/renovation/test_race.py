"""The same owner submits online and on paper at the same moment: exactly one ballot."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.core.scoping import Actor
from linli.renovation import services
from linli.renovation.choices import Channel
from linli.renovation.models import Ballot, Elector, Vote
from tests.renovation.conftest import open_vote, photo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("attempt", range(3))
def test_online_and_paper_race_leaves_one_ballot(rw, attempt):
    vote = open_vote(rw)
    elector = Elector.objects.get(vote=vote, person=rw.people["wang"])
    outcomes, errors = [], []
    barrier = threading.Barrier(4)

    def online():
        services.ballot_online(
            actor=Actor(rw.users["wang"]), vote=Vote.objects.get(pk=vote.pk), choice="for"
        )

    def paper():
        services.ballot_enter(
            actor=Actor(rw.users["community_a"]),
            vote=Vote.objects.get(pk=vote.pk),
            elector=elector,
            choice="against",
            channel=Channel.PAPER,
            photo=photo(),
        )

    def run(fn):
        try:
            barrier.wait()
            fn()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(fn,)) for fn in (online, paper) * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(outcomes) == ["ok", "refused", "refused", "refused"]
    assert Ballot.objects.filter(elector=elector).count() == 1
