"""Who sees what in the register: every role, through selectors, pages and the API."""

import pytest
from django.urls import reverse

from linli.org.models import Estate, Household, Organisation, OrgUnit, Person

pytestmark = pytest.mark.django_db

VISIBLE_PEOPLE = {
    "district": {"A1", "A2", "B1"},
    "street": {"A1", "A2", "B1"},
    "community_a": {"A1", "A2"},
    "community_b": {"B1"},
    "secretary_a1": {"A1"},
    "grid_a1": {"A1"},
    "grid_a2": {"A2"},
    "grid_b1": {"B1"},
    "property_a": set(),
    "social_a": set(),
    "security_a": set(),
    "resident_a1": {"A1"},
    "resident_b1": {"B1"},
    "nobody": set(),
}


@pytest.mark.parametrize("role", sorted(VISIBLE_PEOPLE))
def test_people_visible_per_role(world, role):
    visible = set(Person.objects.visible_to(world.actor(role)).values_list("pk", flat=True))
    expected = {world.people[k].pk for k in VISIBLE_PEOPLE[role]}
    assert visible == expected


VISIBLE_HOUSEHOLDS = {
    "community_a": {"A1", "A2"},
    "grid_a1": {"A1"},
    "property_a": {"A1", "A2"},
    "social_a": set(),
    "resident_a1": {"A1"},
    "nobody": set(),
}


@pytest.mark.parametrize("role", sorted(VISIBLE_HOUSEHOLDS))
def test_households_visible_per_role(world, role):
    visible = set(Household.objects.visible_to(world.actor(role)).values_list("pk", flat=True))
    assert visible == {world.households[k].pk for k in VISIBLE_HOUSEHOLDS[role]}


def test_estates_and_organisations_follow_their_targets(world):
    assert list(Estate.objects.visible_to(world.actor("property_a"))) == [world.estates["A"]]
    assert list(Organisation.objects.visible_to(world.actor("social_a"))) == [world.orgs["social"]]
    assert set(Organisation.objects.visible_to(world.actor("community_b"))) == {
        world.orgs["social2"]
    }


def test_units_below_grant_only(world):
    codes = set(
        OrgUnit.objects.visible_to(world.actor("community_a")).values_list("code", flat=True)
    )
    assert codes == {"comm-a", "grid-a1", "grid-a2"}


def test_focus_narrows_the_console(world):
    actor = world.actor("street")
    actor.focus_path = world.units["gB1"].path
    assert set(Person.objects.visible_to(actor)) == {world.people["B1"]}


@pytest.mark.parametrize("url_name", ["console:org:person", "console:org:person-edit"])
def test_grid_worker_gets_404_for_another_grids_resident(world, client_for, url_name):
    client = client_for(world.users["grid_a1"])
    other = client.get(reverse(url_name, args=[world.people["B1"].pk]))
    missing = client.get(reverse(url_name, args=[999999]))
    own = client.get(reverse(url_name, args=[world.people["A1"].pk]))
    assert other.status_code == 404
    assert missing.status_code == 404
    assert own.status_code == 200


def test_people_list_page_shows_only_scope(world, client_for):
    response = client_for(world.users["grid_a1"]).get(reverse("console:org:people"))
    assert response.status_code == 200
    assert "居民A1" in response.text
    assert "居民B1" not in response.text
    assert "居民A2" not in response.text


def test_api_person_scope(world, client):
    token = client.post(
        "/api/v1/auth/token",
        {"username": "grid_a1", "password": "pw-grid_a1"},
        content_type="application/json",
    ).json()["token"]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    own = client.get(f"/api/v1/org/people/{world.people['A1'].pk}", **auth)
    other = client.get(f"/api/v1/org/people/{world.people['B1'].pk}", **auth)
    listing = client.get("/api/v1/org/people", **auth).json()
    assert own.status_code == 200
    assert own.json()["id_number"].count("*") == 10
    assert other.status_code == 404
    assert [p["name"] for p in listing["items"]] == ["居民A1"]


def test_resident_cannot_open_console(world, client_for):
    client = client_for(world.users["resident_a1"])
    assert client.get(reverse("console:org:people")).status_code == 302
    assert client.get(reverse("m:org:household")).status_code == 200


def test_grid_worker_cannot_change_another_grid_via_api(world, client):
    token = client.post(
        "/api/v1/auth/token",
        {"username": "grid_a1", "password": "pw-grid_a1"},
        content_type="application/json",
    ).json()["token"]
    response = client.patch(
        f"/api/v1/org/people/{world.people['B1'].pk}",
        {"name": "改名"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 404
    world.people["B1"].refresh_from_db()
    assert world.people["B1"].name == "居民B1"


def test_property_manager_cannot_register_people(world, client_for):
    client = client_for(world.users["property_a"])
    response = client.post(
        reverse("console:org:household", args=[world.households["A1"].pk]),
        {"name": "新人", "relation": "family"},
    )
    assert "新人" not in Person.objects.values_list("name", flat=True)
    assert response.status_code == 403


def test_exports_follow_scope_and_permission(world, client_for):
    import io

    from openpyxl import load_workbook

    client = client_for(world.users["grid_a1"])
    response = client.get(reverse("console:org:people"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["居民A1"]
    assert all("*" in (row[3] or "*") for row in sheet.iter_rows(min_row=2, values_only=True))
    estates = client_for(world.users["community_b"]).get(
        reverse("console:org:estates"), {"export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(estates.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["和平里"]
    security = client_for(world.users["security_a"]).get(
        reverse("console:org:estates"), {"export": "xlsx"}
    )
    assert security.status_code == 403


@pytest.mark.parametrize(
    ("role", "buildings"),
    [
        ("community_a", {"1栋", "2栋"}),
        ("grid_a1", {"1栋"}),
        ("grid_a2", {"2栋"}),
        ("property_a", {"1栋", "2栋"}),
        ("street", {"1栋", "2栋"}),
    ],
)
def test_housing_pages_walk_within_scope(world, client_for, role, buildings):
    client = client_for(world.users[role])
    estate_page = client.get(reverse("console:org:estate", args=["est-a"]))
    assert estate_page.status_code == 200
    shown = {
        b.name
        for b in world.buildings.values()
        if b.estate.code == "est-a" and f">{b.name}</a>" in estate_page.text
    }
    assert shown == buildings
    building = world.buildings["A1"]
    page = client.get(reverse("console:org:building", args=[building.code]))
    assert page.status_code == (200 if "1栋" in buildings else 404)
    if page.status_code == 200:
        assert ">101</a>" in page.text
    other_estate = client.get(reverse("console:org:estate", args=["est-b"]))
    assert other_estate.status_code == (200 if role == "street" else 404)


def test_audit_log_scoped_to_unit(world, client_for):
    from linli.org import services

    services.person_reveal(actor=world.actor("street"), person=world.people["A1"], field="phone")
    services.person_reveal(actor=world.actor("street"), person=world.people["B1"], field="phone")
    a = client_for(world.users["community_a"]).get(reverse("console:core:audit")).text
    assert "居民A1" in a and "居民B1" not in a
    assert client_for(world.users["grid_a1"]).get(reverse("console:core:audit")).status_code == 403
