import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from linli.accounts import services
from linli.accounts.models import ApiToken, RoleGrant
from linli.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_with_username_or_phone(world, client):
    resident = world.users["resident_a1"]
    assert login(client, resident.username, "pw-resident").status_code == 302
    client.logout()
    assert resident.phone
    response = login(client, resident.phone, "pw-resident")
    assert response.status_code == 302
    assert client.get("/", follow=True).request["PATH_INFO"] == "/m/"


def test_staff_land_on_console(world, client):
    login(client, "grid_a1", "pw-grid_a1")
    assert client.get("/", follow=True).request["PATH_INFO"] == "/console/"


def test_lockout_after_repeated_failures(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, "grid_a1", "wrong")
        assert response.status_code in (200, 429)
    locked = login(client, "grid_a1", "pw-grid_a1")
    assert locked.status_code == 429
    assert "锁定" in locked.text


def test_passwords_hashed_with_argon2_in_production_settings():
    from django.conf import settings as real

    from linli import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert real.AUTH_USER_MODEL == "accounts.User"


def test_granting_needs_higher_rank_and_scope(world):
    new = services.user_create(
        actor=world.actor("street"), username="newbie", password="x", check_password=False
    )
    services.grant_role(
        actor=world.actor("community_a"), user=new, role="grid_worker", unit=world.units["gA2"]
    )
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=world.actor("community_a"),
            user=new,
            role="community_staff",
            unit=world.units["cA"],
        )
    from django.http import Http404

    with pytest.raises(Http404):
        services.grant_role(
            actor=world.actor("community_a"), user=new, role="grid_worker", unit=world.units["gB1"]
        )
    with pytest.raises(ValidationError):
        services.grant_role(
            actor=world.actor("street"), user=new, role="grid_worker", unit=world.units["cA"]
        )
    with pytest.raises(PermissionDenied):
        services.grant_role(
            actor=world.actor("grid_a1"), user=new, role="grid_worker", unit=world.units["gA1"]
        )
    assert list(RoleGrant.objects.active().filter(user=new).values_list("role", "unit__code")) == [
        ("grid_worker", "grid-a2")
    ]
    assert AuditEntry.objects.filter(action="accounts.grant", target_id__isnull=False).exists()


def test_revoked_grant_stops_access(world, client_for):
    grant = RoleGrant.objects.get(user=world.users["grid_a1"])
    services.revoke_grant(actor=world.actor("community_a"), grant=grant)
    client = client_for(world.users["grid_a1"])
    assert (
        client.get(reverse("console:org:person", args=[world.people["A1"].pk])).status_code == 302
    )


def test_api_token_flow(world, client):
    bad = client.post(
        "/api/v1/auth/token",
        {"username": "grid_a1", "password": "nope"},
        content_type="application/json",
    )
    assert bad.status_code == 401
    token = client.post(
        "/api/v1/auth/token",
        {"username": "grid_a1", "password": "pw-grid_a1"},
        content_type="application/json",
    ).json()["token"]
    assert not ApiToken.objects.filter(key_hash=token).exists()
    me = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["username"] == "grid_a1"
    assert "org.view_person" in me["permissions"]
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_openapi_schema_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/org/people" in schema["paths"]
    assert "/api/v1/auth/token" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_user_pages_scoped(world, client_for):
    client = client_for(world.users["community_a"])
    listing = client.get(reverse("console:accounts:users")).text
    assert "grid_a1" in listing
    assert "grid_b1" not in listing
    assert (
        client.get(reverse("console:accounts:user", args=[world.users["grid_b1"].pk])).status_code
        == 404
    )


def test_large_text_preference_is_remembered(world, client_for):
    client = client_for(world.users["resident_a1"])
    client.post(reverse("m:core:settings"), {"large_text": "on"})
    world.users["resident_a1"].refresh_from_db()
    assert world.users["resident_a1"].large_text
    assert 'class="large"' in client.get(reverse("m:home")).text


def test_django_admin_is_for_superusers_only(world, client_for, django_user_model):
    staff = world.users["street"]
    staff.is_staff = True
    staff.save()
    assert client_for(staff).get("/django-admin/").status_code == 302
    root = django_user_model.objects.create_superuser("root", password="x")
    client = client_for(root)
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/org/person/").status_code == 200
