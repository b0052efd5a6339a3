"""The Open311 GeoReport v2 endpoints against the published spec (DOMAIN.md §8)."""

from xml.etree import ElementTree as ET

import pytest

from linli.grid.models import ApiKey, Event
from linli.grid.open311 import key_hash

KEY = "test-app-key"


@pytest.fixture
def app(gw):
    ApiKey.objects.create(name="测试应用", key_hash=key_hash(KEY))
    return gw


def post(client, **data):
    body = {"api_key": KEY, "service_code": "repair", "lat": "39.12", "long": "117.20", **data}
    return client.post(
        "/open311/v2/requests.json", {k: v for k, v in body.items() if v is not None}
    )


def test_services_in_json_and_xml(app, client):
    services = client.get("/open311/v2/services.json").json()
    assert {"service_code": "repair", "service_name": "设施维修"}.items() <= services[5].items()
    assert {s["service_code"] for s in services} >= {"policy", "mediation", "repair", "other"}
    xml = ET.fromstring(client.get("/open311/v2/services.xml").content)
    assert xml.tag == "services" and len(xml.findall("service")) == len(services)
    definition = client.get("/open311/v2/services/repair.json").json()
    assert definition["service_code"] == "repair"
    assert definition["attributes"][0]["code"] == "urgency"
    assert ET.fromstring(client.get("/open311/v2/services/repair.xml").content).tag == (
        "service_definition"
    )
    assert client.get("/open311/v2/services/nope.json").status_code == 404
    assert client.get("/open311/v2/services.html").status_code == 404


def test_post_and_read_a_request(app, client):
    made = post(client, description="小区门口路灯不亮", first_name="明", last_name="李")
    assert made.status_code == 200
    request_id = made.json()[0]["service_request_id"]
    event = Event.objects.get(pk=request_id)
    assert event.grid == app.units["gA1"] and event.source == "open311"
    one = client.get(f"/open311/v2/requests/{request_id}.json").json()[0]
    assert one["status"] == "open" and one["service_code"] == "repair"
    assert one["agency_responsible"] == "A社区第1网格"
    xml = ET.fromstring(client.get(f"/open311/v2/requests/{request_id}.xml").content)
    assert xml.find("request/status").text == "open"
    listed = client.get("/open311/v2/requests.json?status=open&service_code=repair").json()
    assert [r["service_request_id"] for r in listed] == [request_id]
    token = client.get(f"/open311/v2/tokens/{event.number}.json").json()[0]
    assert token["service_request_id"] == request_id


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"service_code": "unknown"}, 400),
        ({"lat": None, "long": None}, 400),
        ({"lat": "31.23", "long": "121.47"}, 400),
        ({"description": "很" * 4001}, 400),
        ({"api_key": "wrong"}, 403),
        ({"attribute[urgency]": "whenever"}, 400),
    ],
)
def test_bad_input_gets_an_open311_error(app, client, data, status):
    response = post(client, **data)
    assert response.status_code == status
    error = response.json()[0]
    assert set(error) == {"code", "description"} and error["code"] == status
    assert Event.objects.count() == 0


def test_errors_in_xml_and_date_range(app, client):
    response = client.post("/open311/v2/requests.xml", {"api_key": KEY, "service_code": "x"})
    assert response.status_code == 400
    assert ET.fromstring(response.content).find("error/code").text == "400"
    too_long = client.get(
        "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"
    )
    assert too_long.status_code == 400
    assert client.get("/open311/v2/requests/999999.json").status_code == 404


def test_a_residents_token_may_post_in_their_own_community(app, client):
    from linli.accounts.services import token_issue

    _token, key = token_issue(
        actor=app.actor("resident_a1"), user=app.users["resident_a1"], name="app"
    )
    ok = client.post(
        "/open311/v2/requests.json",
        {"service_code": "repair", "address_id": app.buildings["A1"].pk},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert ok.status_code == 200
    elsewhere = client.post(
        "/open311/v2/requests.json",
        {"service_code": "repair", "address_id": app.buildings["B1"].pk},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert elsewhere.status_code == 403
