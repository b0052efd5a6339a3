"""Console staff forms: registering and editing devices, re-keying, issuing credentials."""

import re
from datetime import date

import pytest
from django.contrib.auth.hashers import check_password

from linli.core.models import AuditEntry
from linli.security import services
from linli.security.models import Credential, Device, DeviceProfile

NEW = "/console/security/devices/new/"
CREDENTIALS = "/console/security/credentials/"


def _profile(code):
    return DeviceProfile.objects.get(code=code)


def _register_data(world, **extra):
    data = {
        "profile": _profile("water_meter").pk,
        "community": world.units["cA"].pk,
        "estate": world.estates["A"].pk,
        "building": world.buildings["A1"].pk,
        "household": world.households["A1"].pk,
        "watched_person": world.people["A1"].pk,
        "place": "厨房",
        "code": "a-meter-2",
        "name": "居民A1家水表",
        "inactivity_s": "",
    }
    data.update(extra)
    return data


def _secret_shown(html, device):
    return device.secret in html


def test_register_device_and_secret_is_shown_once(devices, world, client_for):
    client = client_for(world.users["community_a"])
    page = client.get(NEW, {"community": world.units["cA"].pk}).content.decode()
    options = re.search(r'<select name="community".*?</select>', page, re.S).group(0)
    assert "A社区" in options and "B社区" not in options

    r = client.post(NEW, _register_data(world))
    assert r.status_code == 302
    device = Device.objects.get(code="a-meter-2")
    assert (device.community, device.household, device.watched_person) == (
        world.units["cA"],
        world.households["A1"],
        world.people["A1"],
    )
    assert r.url == f"/console/security/devices/{device.pk}/"
    assert AuditEntry.objects.filter(action="security.device_register", target_id=str(device.pk))

    first = client.get(r.url)
    html = first.content.decode()
    assert _secret_shown(html, device)
    assert "linli/comm-a/a-meter-2/event" in html
    assert "no-store" in first["Cache-Control"]
    assert not _secret_shown(client.get(r.url).content.decode(), device)
    assert not _secret_shown(client.get("/console/security/devices/").content.decode(), device)


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"household": "B1"}, "该房屋不在所选社区"),
        ({"building": "B1", "household": None}, "该楼栋不在所选社区"),
        ({"watched_person": "B1"}, "关爱对象须为本社区居民"),
        ({"code": "a-smoke"}, "已存在"),
    ],
)
def test_bad_registration_is_a_form_error_and_writes_nothing(
    devices, world, client_for, bad, message
):
    # The street admin sees both communities, so only the cross-check can refuse.
    client = client_for(world.users["street"])
    data = _register_data(world)
    for key, value in bad.items():
        if key == "household":
            data[key] = world.households[value].pk if value else ""
        elif key == "building":
            data[key] = world.buildings[value].pk
        elif key == "watched_person":
            data[key] = world.people[value].pk
        else:
            data[key] = value
    count, audits = Device.objects.count(), AuditEntry.objects.count()
    r = client.post(NEW, data)
    assert r.status_code == 200
    assert message in r.content.decode()
    assert Device.objects.count() == count and AuditEntry.objects.count() == audits


def test_watched_person_only_for_water_meters(devices, world, client_for):
    client = client_for(world.users["community_a"])
    r = client.post(NEW, _register_data(world, profile=_profile("smoke").pk))
    assert r.status_code == 200 and "只有智能水表可以关联关爱对象" in r.content.decode()
    assert not Device.objects.filter(code="a-meter-2").exists()


def test_staff_of_one_community_cannot_reach_another(devices, world, client_for):
    a_gate = devices["gate"]
    client = client_for(world.users["community_b"])
    r = client.post(
        NEW,
        _register_data(
            world, estate="", building="", household="", watched_person="", code="sneak"
        ),
    )
    assert r.status_code == 200 and not Device.objects.filter(code="sneak").exists()
    assert client.get(f"/console/security/devices/{a_gate.pk}/").status_code == 404
    assert client.get(f"/console/security/devices/{a_gate.pk}/edit/").status_code == 404
    old = a_gate.secret
    assert client.post(f"/console/security/devices/{a_gate.pk}/rotate/").status_code == 404
    a_gate.refresh_from_db()
    assert a_gate.secret == old

    services.credential_add(
        actor=world.actor("community_a"), person=world.people["A1"], kind="card", reference="C1"
    )
    card = Credential.objects.get()
    assert client.get(CREDENTIALS, {"person": world.people["A1"].pk}).status_code == 404
    found = client.get(CREDENTIALS, {"q": "居民A1"}).content.decode()
    assert f'?person={world.people["A1"].pk}"' not in found
    assert client.post(f"/console/security/credentials/{card.pk}/revoke/").status_code == 404
    card.refresh_from_db()
    assert card.revoked_at is None


def test_operator_without_manage_permission_gets_no_forms_or_links(devices, world, client_for):
    client = client_for(world.users["security_a"])
    assert client.get(NEW).status_code == 403
    assert client.get(CREDENTIALS).status_code == 403
    gate = devices["gate"]
    assert client.get(f"/console/security/devices/{gate.pk}/edit/").status_code == 404
    detail = client.get(f"/console/security/devices/{gate.pk}/").content.decode()
    assert "/edit/" not in detail and gate.secret not in detail
    listing = client.get("/console/security/devices/").content.decode()
    assert NEW not in listing and CREDENTIALS not in listing
    staff_listing = (
        client_for(world.users["community_a"]).get("/console/security/devices/").content.decode()
    )
    assert NEW in staff_listing and CREDENTIALS in staff_listing


def test_edit_device_stores_only_overrides(devices, world, client_for):
    gate = devices["gate"]
    client = client_for(world.users["community_a"])
    page = client.get(f"/console/security/devices/{gate.pk}/edit/").content.decode()
    assert 'name="rule__denied__severity"' in page and 'name="rule__denied__count"' in page
    r = client.post(
        f"/console/security/devices/{gate.pk}/edit/",
        {
            "name": "东门门禁",
            "place": "东门",
            "inactivity_s": "900",
            "rule__denied__severity": "critical",
            "rule__denied__count": "3",
            "rule__denied__window_s": "120",
        },
    )
    assert r.status_code == 302
    gate.refresh_from_db()
    assert (gate.name, gate.place, gate.inactivity_s) == ("东门门禁", "东门", 900)
    assert gate.rules == {"denied": {"severity": "critical", "count": 3}}
    assert gate.rule_for("denied") == {"severity": "critical", "count": 3, "window_s": 120}
    assert AuditEntry.objects.filter(action="security.device_update", target_id=str(gate.pk))


def test_edit_device_refuses_bad_numbers(devices, world, client_for):
    gate = devices["gate"]
    client = client_for(world.users["community_a"])
    r = client.post(
        f"/console/security/devices/{gate.pk}/edit/",
        {
            "name": "x",
            "rule__denied__severity": "loud",
            "rule__denied__count": "0",
            "rule__denied__window_s": "120",
        },
    )
    assert r.status_code == 200 and "errorlist" in r.content.decode()
    gate.refresh_from_db()
    assert gate.name == "A gate" and gate.rules == {}


def test_device_update_service_rejects_unknown_rule(devices, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.device_update(
            actor=world.actor("community_a"),
            device=devices["gate"],
            name="x",
            rules={"smoke": {"severity": "critical"}},
        )
    from django.http import Http404

    with pytest.raises(Http404):
        services.device_update(
            actor=world.actor("community_b"), device=devices["gate"], name="x", rules={}
        )


def test_rotate_secret_shows_the_new_one_once(devices, world, client_for):
    gate = devices["gate"]
    old = gate.secret
    client = client_for(world.users["community_a"])
    assert old not in client.get(f"/console/security/devices/{gate.pk}/").content.decode()
    r = client.post(f"/console/security/devices/{gate.pk}/rotate/")
    assert r.status_code == 302
    gate.refresh_from_db()
    assert gate.secret != old
    assert gate.secret in client.get(r.url).content.decode()
    assert gate.secret not in client.get(r.url).content.decode()
    entry = AuditEntry.objects.get(action="security.device_rotate_secret")
    assert gate.secret not in str(entry.data) and old not in str(entry.data)


def _issue(client, person, **data):
    return client.post(CREDENTIALS + f"?person={person.pk}", {"person": person.pk, **data})


def test_face_alone_is_refused_with_the_message(devices, world, client_for):
    person = world.people["A1"]
    client = client_for(world.users["community_a"])
    r = _issue(client, person, kind="face", consent="on", devices=[devices["gate"].pk])
    assert r.status_code == 200
    assert "人脸不能作为唯一通行方式" in r.content.decode()
    assert not Credential.objects.exists()


def test_face_needs_the_unticked_consent_box(devices, world, client_for):
    person = world.people["A1"]
    client = client_for(world.users["community_a"])
    page = client.get(CREDENTIALS, {"person": person.pk}).content.decode()
    consent = re.search(r'<input[^>]*name="consent"[^>]*>', page).group(0)
    assert "checked" not in consent
    assert _issue(client, person, kind="card", reference="IC-0001").status_code == 302
    r = _issue(client, person, kind="face", reference="tpl-1", devices=[devices["gate"].pk])
    assert r.status_code == 200 and "人脸录入需要本人单独同意" in r.content.decode()
    assert not Credential.objects.filter(kind="face").exists()
    r = _issue(
        client, person, kind="face", reference="tpl-1", consent="on", devices=[devices["gate"].pk]
    )
    assert r.status_code == 302
    face = Credential.objects.get(kind="face")
    assert face.consent_at is not None and list(face.devices.all()) == [devices["gate"]]


def test_guardian_field_for_children_only(devices, world, client_for):
    child = world.people["A2"]
    child.birth_date = date(2018, 5, 1)
    child.save(update_fields=["birth_date"])
    client = client_for(world.users["community_a"])
    assert 'name="guardian_name"' in client.get(CREDENTIALS, {"person": child.pk}).content.decode()
    adult = client.get(CREDENTIALS, {"person": world.people["A1"].pk}).content.decode()
    assert 'name="guardian_name"' not in adult
    _issue(client, child, kind="qr")
    r = _issue(client, child, kind="face", consent="on")
    assert r.status_code == 200 and "不满14周岁须由监护人同意" in r.content.decode()
    assert _issue(client, child, kind="face", consent="on", guardian_name="家长").status_code == 302
    assert Credential.objects.get(kind="face").guardian_name == "家长"


def test_gate_choices_are_the_persons_community_gates(devices, world, client_for):
    client = client_for(world.users["street"])
    page = client.get(CREDENTIALS, {"person": world.people["A1"].pk}).content.decode()
    assert "A gate" in page and "A smoke" not in page and "B smoke" not in page
    _issue(client, world.people["A1"], kind="card", reference="IC-9")
    r = _issue(
        client,
        world.people["A1"],
        kind="face",
        consent="on",
        devices=[devices["b-smoke"].pk],
    )
    assert r.status_code == 200 and not Credential.objects.filter(kind="face").exists()


def test_pin_is_stored_hashed_and_never_shown(devices, world, client_for):
    person = world.people["A1"]
    client = client_for(world.users["community_a"])
    assert _issue(client, person, kind="pin", pin="12ab").status_code == 200
    assert not Credential.objects.exists()
    assert _issue(client, person, kind="pin", pin="482916").status_code == 302
    pin = Credential.objects.get(kind="pin")
    assert pin.reference != "482916" and check_password("482916", pin.reference)
    page = client.get(CREDENTIALS, {"person": person.pk}).content.decode()
    assert "482916" not in page and pin.reference not in page


def test_revoke_removes_device_enrolments(devices, world, client_for):
    person = world.people["A1"]
    staff = world.actor("community_a")
    services.credential_add(actor=staff, person=person, kind="card", reference="IC-1")
    face = services.credential_add(
        actor=staff, person=person, kind="face", consent=True, devices=[devices["gate"]]
    )
    client = client_for(world.users["community_a"])
    r = client.post(f"/console/security/credentials/{face.pk}/revoke/")
    assert r.status_code == 302 and r.url == f"{CREDENTIALS}?person={person.pk}"
    face.refresh_from_db()
    assert face.revoked_at is not None and face.devices.count() == 0
    assert AuditEntry.objects.filter(action="security.credential_revoke", target_id=str(face.pk))


def test_find_resident_by_name_or_phone(devices, world, client_for):
    client = client_for(world.users["community_a"])

    def found(query):
        page = client.get(CREDENTIALS, {"q": query}).content.decode()
        return {key for key, p in world.people.items() if f'?person={p.pk}"' in page}

    assert found("居民A1") == {"A1"}
    assert found(world.people["A2"].phone) == {"A2"}
    assert found("居民B1") == set()


def test_edit_camera_schedule_as_hours(devices, world, client_for):
    camera = services.device_register(
        actor=world.actor("community_a"),
        community=world.units["cA"],
        profile=DeviceProfile.objects.get(code="camera"),
        code="a-camera",
        name="A camera",
    )
    client = client_for(world.users["community_a"])
    url = f"/console/security/devices/{camera.pk}/edit/"
    assert 'value="23:00-05:00"' in client.get(url).content.decode()
    fields = {
        "name": "A camera",
        "rule__intrusion__severity": "major",
        "rule__tamper__severity": "major",
        "rule__loitering__severity": "minor",
    }
    bad = client.post(url, {**fields, "rule__loitering__schedule": "late"})
    assert bad.status_code == 200 and "HH:MM-HH:MM" in bad.content.decode()
    r = client.post(url, {**fields, "rule__loitering__schedule": "22:30 – 04:00"})
    assert r.status_code == 302
    camera.refresh_from_db()
    assert camera.rules == {"loitering": {"schedule": {"from": "22:30", "to": "04:00"}}}
