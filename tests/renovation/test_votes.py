from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from linli.core.scoping import SYSTEM
from linli.renovation import services
from linli.renovation.choices import Channel, Matter, VoteState
from linli.renovation.models import Ballot, Elector
from tests.renovation.conftest import TOTAL_AREA, open_vote, photo


def test_roll_counts_an_owner_of_several_units_once_and_co_owners_once(rw):
    vote = open_vote(rw)
    electors = {e.person_id: e for e in Elector.objects.filter(vote=vote)}
    assert (
        electors[rw.people["wang"].pk].area == Decimal("100")
        and electors[rw.people["wang"].pk].units == 2
    )
    co = [rw.people["chen"].pk in electors, rw.people["lin"].pk in electors]
    assert co.count(True) == 1  # the earliest co-owner by default
    assert len(electors) == 4
    assert sum(e.area for e in electors.values()) == TOTAL_AREA


def test_nominated_co_owner_votes_for_the_unit(rw):
    vote = open_vote(rw, nominate="lin")
    assert Elector.objects.filter(vote=vote, person=rw.people["lin"], area=120).exists()
    assert not Elector.objects.filter(vote=vote, person=rw.people["chen"]).exists()
    with pytest.raises(ValidationError):
        services.ballot_online(actor=rw.actor("chen"), vote=vote, choice="for")


def test_one_ballot_per_owner_whatever_the_channel(rw):
    vote = open_vote(rw)
    services.ballot_online(actor=rw.actor("wang"), vote=vote, choice="for")
    wang = Elector.objects.get(vote=vote, person=rw.people["wang"])
    with pytest.raises(ValidationError):
        services.ballot_enter(
            actor=rw.actor("community_a"),
            vote=vote,
            elector=wang,
            choice="against",
            channel=Channel.PAPER,
            photo=photo(),
        )
    a1 = Elector.objects.get(vote=vote, person=rw.people["A1"])
    with pytest.raises(ValidationError):
        services.ballot_enter(
            actor=rw.actor("community_a"),
            vote=vote,
            elector=a1,
            choice="for",
            channel=Channel.PAPER,
        )
    services.ballot_enter(
        actor=rw.actor("grid_a1"),
        vote=vote,
        elector=a1,
        choice="for",
        channel=Channel.PAPER,
        photo=photo(),
    )
    with pytest.raises(ValidationError):
        services.ballot_online(actor=rw.actor("resident_a1"), vote=vote, choice="against")
    assert Ballot.objects.filter(vote=vote).count() == 2


def test_proxy_needs_the_authorisation(rw):
    vote = open_vote(rw)
    a2 = Elector.objects.get(vote=vote, person=rw.people["A2"])
    with pytest.raises(ValidationError):
        services.ballot_enter(
            actor=rw.actor("community_a"),
            vote=vote,
            elector=a2,
            choice="for",
            channel=Channel.PROXY,
            proxy_name="儿子",
        )
    services.ballot_enter(
        actor=rw.actor("community_a"),
        vote=vote,
        elector=a2,
        choice="for",
        channel=Channel.PROXY,
        proxy_name="儿子",
        proxy_document=photo("p.gif"),
    )
    assert Ballot.objects.get(elector=a2).proxy_name == "儿子"


def test_lift_vote_result_is_stamped_published_and_recountable(rw):
    vote = open_vote(rw, matter=Matter.REBUILD)
    for who in ("wang", "resident_a1", "chen"):
        services.ballot_online(actor=rw.actor(who), vote=vote, choice="for")
    live = services.tally(vote)
    # 100 + 88.5 + 120 = 308.5 of 397 m² (77.7%) and 3 of 4 owners: both ≥ 2/3, both ≥ 3/4.
    assert live["participation_ok"] and live["approved"]
    services.vote_close(actor=rw.actor("community_a"), vote=vote)
    vote.refresh_from_db()
    assert vote.result["rule_version"] == "civil-code-278/2021" and vote.result["approved"]
    a2 = Elector.objects.get(vote=vote, person=rw.people["A2"])
    with pytest.raises(ValidationError):
        services.ballot_enter(
            actor=rw.actor("community_a"),
            vote=vote,
            elector=a2,
            choice="for",
            channel=Channel.PAPER,
            photo=photo(),
        )
    services.vote_publish(actor=rw.actor("community_a"), vote=vote)
    assert services.recount(vote) == vote.result
    services.objection_file(actor=rw.actor("wang"), vote=vote, text="电梯噪音影响一楼")
    with pytest.raises(ValidationError):
        services.objection_file(actor=rw.actor("resident_b1"), vote=vote, text="x")


def test_against_votes_block_a_special_matter(rw):
    vote = open_vote(rw, matter=Matter.REBUILD)
    services.ballot_online(actor=rw.actor("wang"), vote=vote, choice="for")
    services.ballot_online(actor=rw.actor("resident_a1"), vote=vote, choice="for")
    services.ballot_online(actor=rw.actor("chen"), vote=vote, choice="against")
    # 3 of 4 owners took part with 308.5 m²; 2 owners (188.5 m²) for: below 3/4 both ways.
    result = services.tally(vote)
    assert result["participation_ok"] and not result["approved"]


def test_scope_staff_of_another_community_cannot_run_the_vote(rw):
    vote = open_vote(rw)
    with pytest.raises(Http404):
        services.vote_close(actor=rw.actor("community_b"), vote=vote)
    with pytest.raises(Http404):
        services.ballot_enter(
            actor=rw.actor("grid_b1"),
            vote=vote,
            elector=Elector.objects.filter(vote=vote).first(),
            choice="for",
            channel=Channel.PAPER,
            photo=photo(),
        )
    assert vote.state == VoteState.OPEN


def test_project_from_a_council_resolution(rw):
    project = services.project_create(
        actor=SYSTEM,
        estate=rw.estates["A"],
        title="停车棚改造",
        source={"kind": "council.resolution", "id": 7, "label": "第3次议事会决议", "url": "/x"},
    )
    from linli.renovation.selectors import project_for_source

    assert project_for_source("council.resolution", 7) == project
