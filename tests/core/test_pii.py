"""ID numbers never rest in clear: not in the tables, not in a dump, not in logs or pages."""

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from linli.core import pii
from linli.core.models import AuditEntry
from linli.org import services
from linli.org.models import Person
from tests.factories import id_number

pytestmark = pytest.mark.django_db


def test_encrypt_round_trip_and_nonce():
    a, b = pii.encrypt("11010519491231002X"), pii.encrypt("11010519491231002X")
    assert a != b
    assert pii.decrypt(a) == pii.decrypt(b) == "11010519491231002X"
    assert pii.blind_index("11010519491231002X") == pii.blind_index("11010519491231002X")


def test_database_holds_no_clear_id_numbers(world):
    clear = [
        services.person_reveal(actor=world.actor("street"), person=p, field="id_number")
        for p in world.people.values()
    ]
    assert all(len(c) == 18 for c in clear)
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    text = dump.getvalue()
    raw_rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            raw_rows.extend(str(row) for row in cursor.fetchall())
    raw = "\n".join(raw_rows)
    for number in clear:
        assert number not in text
        assert number not in raw


def test_reveal_needs_permission_and_is_audited(world):
    person = world.people["A1"]
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=world.actor("grid_a1"), person=person, field="id_number")
    value = services.person_reveal(
        actor=world.actor("community_a"), person=person, field="id_number"
    )
    entry = AuditEntry.objects.get(action="org.pii_reveal")
    assert entry.actor == world.users["community_a"]
    assert entry.target_id == str(person.pk)
    assert entry.data == {"field": "id_number"}
    assert value not in str(entry.data)


def test_pages_show_masked_numbers_only(world, client_for, caplog):
    clear = services.person_reveal(
        actor=world.actor("street"), person=world.people["A1"], field="id_number"
    )
    caplog.set_level(logging.DEBUG)
    client = client_for(world.users["grid_a1"])
    for url in (
        reverse("console:org:people"),
        reverse("console:org:person", args=[world.people["A1"].pk]),
    ):
        body = client.get(url).text
        assert clear not in body
        assert world.people["A1"].id_masked in body
    assert clear not in caplog.text


def test_reveal_button_swaps_in_clear_value_for_permitted_staff(world, client_for):
    person = world.people["A1"]
    url = reverse("console:org:person-reveal", args=[person.pk, "id_number"])
    assert client_for(world.users["grid_a1"]).post(url).status_code == 403
    response = client_for(world.users["community_a"]).post(url)
    assert response.status_code == 200
    assert pii.decrypt(Person.objects.get(pk=person.pk).id_cipher) in response.text


def test_search_by_full_id_number_uses_blind_index(world, client_for):
    number = id_number(birth="19551010")
    person = services.person_register(
        actor=world.actor("community_a"),
        household=world.households["A2"],
        name="王大爷",
        relation="owner",
        id_number=number,
    )
    response = client_for(world.users["community_a"]).get(
        reverse("console:org:people"), {"q": number}
    )
    assert "王大爷" in response.text
    assert Person.objects.get(pk=person.pk).id_index == pii.blind_index(number)
