import datetime

import pytest
from django.core.exceptions import ValidationError

from linli.core.models import AuditEntry
from linli.org import services
from linli.org.choices import PersonStatus, Relation, UnitKind
from linli.org.models import HouseholdMember
from tests.factories import id_number

pytestmark = pytest.mark.django_db


def test_move_keeps_history(world):
    actor = world.actor("street")
    person = world.people["A1"]
    moved = services.person_move(
        actor=actor,
        person=person,
        to_household=world.households["B1"],
        relation=Relation.TENANT,
        on=datetime.date(2026, 3, 1),
    )
    assert moved.household == world.households["B1"]
    ties = HouseholdMember.objects.filter(person=person).order_by("pk")
    # The original tie was as owner: ownership survives the move; the new tie is open.
    assert [(t.household_id, t.relation, t.until) for t in ties] == [
        (world.households["A1"].pk, Relation.OWNER, None),
        (world.households["B1"].pk, Relation.TENANT, None),
    ]
    family = services.person_register(
        actor=actor,
        household=world.households["A1"],
        name="家属",
        relation=Relation.FAMILY,
        since=datetime.date(2020, 1, 1),
    )
    services.person_move(
        actor=actor,
        person=family,
        to_household=world.households["A2"],
        relation=Relation.FAMILY,
        on=datetime.date(2026, 5, 1),
    )
    old = HouseholdMember.objects.get(person=family, household=world.households["A1"])
    assert old.until == datetime.date(2026, 5, 1)
    assert AuditEntry.objects.filter(action="org.person_move").count() == 2


def test_move_out_marks_status(world):
    person = services.person_move_out(actor=world.actor("community_a"), person=world.people["A2"])
    assert person.status == PersonStatus.MOVED_OUT


def test_duplicate_id_number_refused(world):
    number = id_number()
    services.person_register(
        actor=world.actor("community_a"),
        household=world.households["A1"],
        name="甲",
        relation=Relation.FAMILY,
        id_number=number,
    )
    with pytest.raises(ValidationError):
        services.person_register(
            actor=world.actor("community_a"),
            household=world.households["A2"],
            name="乙",
            relation=Relation.FAMILY,
            id_number=number,
        )


def test_unit_kinds_follow_hierarchy(world):
    with pytest.raises(ValidationError):
        services.unit_create(
            actor=world.actor("street"),
            parent=world.units["street"],
            kind=UnitKind.GRID,
            code="bad",
            name="网格",
        )


def test_building_grid_must_be_inside_estate_community(world):
    with pytest.raises(ValidationError):
        services.building_create(
            actor=world.actor("street"),
            estate=world.estates["A"],
            grid=world.units["gB1"],
            name="9栋",
        )


def test_area_must_be_a_positive_number(world):
    for bad in ("abc", "-3", "0"):
        with pytest.raises(ValidationError):
            services.household_create(
                actor=world.actor("street"), building=world.buildings["A1"], room="909", area=bad
            )
    household = services.household_create(
        actor=world.actor("street"), building=world.buildings["A1"], room="909", area="１２０.５"
    )
    assert str(household.area) == "120.50"


def test_grid_worker_registers_only_in_own_grid(world):
    from django.http import Http404

    with pytest.raises(Http404):
        services.person_register(
            actor=world.actor("grid_a1"),
            household=world.households["B1"],
            name="越权",
            relation=Relation.FAMILY,
        )
    ok = services.person_register(
        actor=world.actor("grid_a1"),
        household=world.households["A1"],
        name="新居民",
        relation=Relation.FAMILY,
    )
    assert ok.household == world.households["A1"]
