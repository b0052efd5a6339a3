from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from linli.core.scoping import SYSTEM
from linli.council import parking
from linli.lottery.models import Draw, Entry
from linli.lottery.selectors import draw_verify
from linli.org import services as org
from linli.org.choices import Relation
from linli.org.models import Tag
from tests.council.conftest import NOW
from tests.factories import id_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def parking_round(world, council):
    return parking.round_create(
        actor=world.actor("community_a"),
        council=council,
        title="2026车位",
        spaces=2,
        accessible_spaces=1,
        now=NOW,
    )


def _household(world, room, relation=Relation.OWNER, disabled=False):
    household = org.household_create(
        actor=SYSTEM, building=world.buildings["A2"], stairwell="1单元", room=room, area="80"
    )
    person = org.person_register(
        actor=SYSTEM,
        household=household,
        name=f"住户{room}",
        relation=relation,
        id_number=id_number(),
        phone=f"13900{room}0000"[:11],
    )
    if disabled:
        person.tags.add(Tag.objects.get(code="disabled"))
    return household


def test_round_tiers_accessible_and_verification(world, council, parking_round, client):
    staff = world.actor("community_a")
    owner = _household(world, "301")
    tenant = _household(world, "302", relation=Relation.TENANT)
    disabled = _household(world, "303", disabled=True)
    a1 = parking.round_apply(actor=staff, parking_round=parking_round, household=owner, now=NOW)
    a2 = parking.round_apply(actor=staff, parking_round=parking_round, household=tenant)
    a3 = parking.round_apply(actor=staff, parking_round=parking_round, household=owner, second=True)
    a4 = parking.round_apply(
        actor=staff, parking_round=parking_round, household=disabled, accessible=True
    )
    assert (a1.tier, a2.tier, a3.tier) == (0, 1, 2)
    with pytest.raises(ValidationError, match="残疾人证"):
        parking.round_apply(
            actor=staff,
            parking_round=parking_round,
            household=tenant,
            accessible=True,
            second=False,
        )
    with pytest.raises(ValidationError, match="已申请"):
        parking.round_apply(actor=staff, parking_round=parking_round, household=owner)
    with pytest.raises(ValidationError, match="第一个车位"):
        parking.round_apply(
            actor=staff,
            parking_round=parking_round,
            household=_household(world, "304"),
            second=True,
        )
    parking_round = parking.round_draw(
        actor=staff, parking_round=parking_round, public_value="2026031", now=NOW
    )
    general = Draw.objects.get(pk=parking_round.general_draw_id)
    won = set(Entry.objects.filter(draw=general, won=True).values_list("ref", flat=True))
    # two general spaces, tiers 0 and 1 are served before any second space
    assert won == {a1.ref, a2.ref}
    assert Entry.objects.get(draw=parking_round.accessible_draw, ref=a4.ref).won
    assert draw_verify(general)
    assert draw_verify(Draw.objects.get(pk=parking_round.accessible_draw_id))
    # the public page re-runs and matches; a changed entry breaks the commitment check
    data = client.get(f"/lottery/{general.code}/verify.json").json()
    assert data["ok"]
    Entry.objects.filter(draw=general, ref=a3.ref).update(tier=0)
    assert client.get(f"/lottery/{general.code}/verify.json").json()["digest_matches"] is False
    with pytest.raises(ValidationError, match="公示期已结束"):
        parking.round_object(
            actor=world.actor("resident_a1"),
            parking_round=parking_round,
            text="x",
            now=NOW + timedelta(days=8),
        )
    parking.round_object(
        actor=world.actor("resident_a1"),
        parking_round=parking_round,
        text="请说明规则",
        now=NOW + timedelta(days=1),
    )


def test_resident_applies_only_for_own_household(world, parking_round, client_for):
    with pytest.raises(PermissionDenied):
        parking.round_apply(
            actor=world.actor("resident_a1"),
            parking_round=parking_round,
            household=world.households["A2"],
        )
    app = parking.round_apply(
        actor=world.actor("resident_a1"),
        parking_round=parking_round,
        household=world.households["A1"],
    )
    assert app.tier == 0
    page = client_for(world.users["resident_a1"]).get(f"/m/council/parking/{parking_round.pk}/")
    assert page.status_code == 200 and app.ref in page.content.decode()
    other = client_for(world.users["resident_b1"])
    assert other.get(f"/m/council/parking/{parking_round.pk}/").status_code == 404


def test_objection_answer_and_seat_pages(world, council, parking_round, client_for):
    staff = client_for(world.users["community_a"])
    parking_round = parking.round_draw(
        actor=world.actor("community_a"), parking_round=parking_round
    )
    objection = parking.round_object(
        actor=world.actor("resident_a1"), parking_round=parking_round, text="规则？"
    )
    staff.post(f"/console/council/parking-objections/{objection.pk}/answer/", {"answer": "见公示"})
    objection.refresh_from_db()
    assert objection.answer == "见公示"
    staff.post(
        f"/console/council/councils/{council.pk}/seats/",
        {"username": world.users["resident_a1"].username, "category": "resident", "role": "member"},
    )
    assert council.seats.filter(user=world.users["resident_a1"]).exists()
    seat = world.seats["pm"]
    staff.post(f"/console/council/councils/{council.pk}/seats/", {"end": seat.pk})
    seat.refresh_from_db()
    assert seat.term_end is not None
    other = client_for(world.users["community_b"])
    assert (
        other.post(
            f"/console/council/councils/{council.pk}/seats/", {"end": world.seats["rep"].pk}
        ).status_code
        == 404
    )


def test_rotation_puts_last_rounds_winners_behind(world, council, parking_round):
    staff = world.actor("community_a")
    owners = [_household(world, f"40{i}") for i in range(3)]
    for h in owners:
        parking.round_apply(actor=staff, parking_round=parking_round, household=h)
    first = parking.round_draw(actor=staff, parking_round=parking_round, now=NOW)
    won = set(
        Entry.objects.filter(draw_id=first.general_draw_id, won=True).values_list("ref", flat=True)
    )
    assert len(won) == 2
    later = parking.round_create(
        actor=staff,
        council=council,
        title="2027车位",
        spaces=1,
        rotate_from=first,
        now=NOW + timedelta(days=365),
    )
    for h in owners:
        parking.round_apply(actor=staff, parking_round=later, household=h)
    tiers = dict(later.applications.values_list("ref", "tier"))
    assert {ref for ref, tier in tiers.items() if tier == 0} == set(tiers) - won
    assert all(tiers[ref] == 3 for ref in won)
    later = parking.round_draw(actor=staff, parking_round=later, now=NOW + timedelta(days=400))
    assert Entry.objects.get(draw_id=later.general_draw_id, won=True).ref not in won
