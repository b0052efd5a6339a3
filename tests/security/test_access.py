from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from linli.security import services
from linli.security.models import AccessLog, Credential, VisitorPass

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def test_face_alone_is_refused_and_consent_is_required(devices, world):
    person, staff = world.people["A1"], world.actor("community_a")
    with pytest.raises(ValidationError, match="唯一"):
        services.credential_add(actor=staff, person=person, kind="face", consent=True)
    services.credential_add(actor=staff, person=person, kind="card", reference="IC-0001")
    with pytest.raises(ValidationError, match="同意"):
        services.credential_add(actor=staff, person=person, kind="face", consent=False)
    face = services.credential_add(
        actor=staff,
        person=person,
        kind="face",
        reference="gate-template-17",
        consent=True,
        devices=[devices["gate"]],
        now=T0,
    )
    assert face.consent_at == T0 and list(face.devices.all()) == [devices["gate"]]


def test_guardian_consent_under_fourteen(devices, world):
    child = world.people["A2"]
    child.birth_date = date(2018, 5, 1)
    child.save(update_fields=["birth_date"])
    staff = world.actor("community_a")
    services.credential_add(actor=staff, person=child, kind="qr")
    with pytest.raises(ValidationError, match="监护人"):
        services.credential_add(actor=staff, person=child, kind="face", consent=True, now=T0)
    face = services.credential_add(
        actor=staff, person=child, kind="face", consent=True, guardian_name="家长", now=T0
    )
    assert face.guardian_name == "家长"


def test_withdrawn_consent_removes_enrolment_from_devices(devices, world, client_for):
    person = world.people["A1"]
    staff = world.actor("community_a")
    services.credential_add(actor=staff, person=person, kind="pin")
    face = services.credential_add(
        actor=staff, person=person, kind="face", consent=True, devices=[devices["gate"]]
    )
    client = client_for(world.users["resident_a1"])
    assert client.post(f"/m/security/credentials/{face.pk}/revoke/").status_code == 302
    face.refresh_from_db()
    assert face.revoked_at is not None and face.devices.count() == 0
    other = client_for(world.users["resident_b1"])
    assert other.post(f"/m/security/credentials/{face.pk}/revoke/").status_code == 404


def test_no_field_can_hold_a_face_image_or_template():
    kinds = (models.BinaryField, models.FileField, models.ImageField)
    assert not [f for f in Credential._meta.get_fields() if isinstance(f, kinds)]
    assert Credential._meta.get_field("reference").max_length <= 100


def test_visitor_pass_opens_gate_only_in_window(devices, world, client_for):
    resident = world.actor("resident_a1")
    visit = services.visitor_pass_create(
        actor=resident, visitor_name="王阿姨", valid_from=T0, valid_until=T0 + timedelta(hours=4)
    )
    gate = devices["gate"]
    assert not services.gate_check_pass(device=gate, code=visit.code, at=T0 - timedelta(minutes=1))
    assert services.gate_check_pass(device=gate, code=visit.code, at=T0 + timedelta(hours=1))
    assert not services.gate_check_pass(device=devices["b-smoke"], code=visit.code, at=T0)
    assert AccessLog.objects.filter(granted=True).count() == 1
    qr = client_for(world.users["resident_a1"]).get(f"/m/security/passes/{visit.pk}/qr.svg")
    assert qr.status_code == 200 and b"<svg" in qr.content
    assert (
        client_for(world.users["resident_b1"])
        .get(f"/m/security/passes/{visit.pk}/qr.svg")
        .status_code
        == 404
    )
    assert list(VisitorPass.objects.visible_to(world.actor("security_a"))) == [visit]
    assert not VisitorPass.objects.visible_to(world.actor("community_b")).exists()


def test_access_log_retention(devices):
    gate = devices["gate"]
    AccessLog.objects.create(device=gate, kind="card", granted=True, at=T0 - timedelta(days=200))
    AccessLog.objects.create(device=gate, kind="card", granted=True, at=T0 - timedelta(days=10))
    assert services.access_logs_purge(now=T0) == 1
    assert AccessLog.objects.count() == 1
