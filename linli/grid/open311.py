"""Open311 GeoReport v2 (DOMAIN.md §8) at /open311/v2/, JSON and XML.

Reading is public (as in the standard); posting needs an application key issued by staff
(``ApiKey``) or a resident's API token (then the resident's own rules apply).
"""

import datetime
import hashlib
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree as ET

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from linli.accounts.services import token_authenticate
from linli.core.scoping import SYSTEM, Actor
from linli.grid import services
from linli.grid.choices import OPEN_STATES, Source, State, Urgency
from linli.grid.models import ApiKey, Category, Event
from linli.org.models import Building

MAX_DESCRIPTION = 4000
MAX_RANGE = datetime.timedelta(days=90)


def key_hash(key):
    return hashlib.sha256(key.encode()).hexdigest()


def _xml(root_name, item_name, items):
    root = ET.Element(root_name)
    for item in items:
        node = ET.SubElement(root, item_name)
        for name, value in item.items():
            child = ET.SubElement(node, name)
            if isinstance(value, list):
                for entry in value:
                    sub = ET.SubElement(child, "attribute" if name == "attributes" else "value")
                    if isinstance(entry, dict):
                        for k, v in entry.items():
                            ET.SubElement(sub, k).text = "" if v is None else str(v)
                    else:
                        sub.text = str(entry)
            else:
                child.text = (
                    ""
                    if value is None
                    else str(value).lower()
                    if isinstance(value, bool)
                    else str(value)
                )
    body = ET.tostring(root, encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>' + body, content_type="text/xml; charset=utf-8"
    )


def _respond(fmt, root_name, item_name, items, status=200):
    if fmt == "xml":
        response = _xml(root_name, item_name, items)
        response.status_code = status
        return response
    return JsonResponse(items, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt, status, code, description):
    return _respond(fmt, "errors", "error", [{"code": code, "description": description}], status)


def _service(category):
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": "网格事件",
    }


@require_GET
def service_list(request, fmt):
    categories = Category.objects.filter(active=True)
    return _respond(fmt, "services", "service", [_service(c) for c in categories])


@require_GET
def service_definition(request, code, fmt):
    category = Category.objects.filter(code=code, active=True).first()
    if category is None:
        return _error(fmt, 404, 404, "service_code not found")
    attribute = {
        "variable": True,
        "code": "urgency",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "紧急程度",
        "order": 1,
        "description": "紧急程度",
        "values": [{"key": value, "name": str(label)} for value, label in Urgency.choices],
    }
    return _definition_response(fmt, category, attribute)


def _definition_response(fmt, category, attribute):
    if fmt == "xml":
        root = ET.Element("service_definition")
        ET.SubElement(root, "service_code").text = category.code
        attributes = ET.SubElement(root, "attributes")
        node = ET.SubElement(attributes, "attribute")
        for name, value in attribute.items():
            if name == "values":
                values = ET.SubElement(node, "values")
                for entry in value:
                    item = ET.SubElement(values, "value")
                    ET.SubElement(item, "key").text = entry["key"]
                    ET.SubElement(item, "name").text = entry["name"]
            else:
                ET.SubElement(node, name).text = (
                    str(value).lower() if isinstance(value, bool) else str(value)
                )
        return HttpResponse(
            '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(root, encoding="unicode"),
            content_type="text/xml; charset=utf-8",
        )
    return JsonResponse(
        {"service_code": category.code, "attributes": [attribute]},
        json_dumps_params={"ensure_ascii": False},
    )


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def _request(event):
    closed = event.state in (State.CLOSED, State.REJECTED)
    last = event.steps.order_by("-at", "-pk").first()
    notes = event.reject_reason or (last.get_action_display() if last else "")
    return {
        "service_request_id": event.pk,
        "status": "closed" if closed else "open",
        "status_notes": notes,
        "service_name": event.category.name,
        "service_code": event.category.code,
        "description": event.description,
        "agency_responsible": event.grid.name,
        "service_notice": "",
        "requested_datetime": _iso(event.reported_at),
        "updated_datetime": _iso(last.at if last else event.reported_at),
        "expected_datetime": _iso(event.due_at),
        "address": event.address or (str(event.building) if event.building_id else ""),
        "address_id": event.building_id,
        "zipcode": "",
        "lat": float(event.lat) if event.lat is not None else None,
        "long": float(event.lng) if event.lng is not None else None,
        "media_url": event.photo.url if event.photo else "",
    }


def _actor_for_post(request):
    """The application key or a resident's token; None when neither is valid."""
    key = request.POST.get("api_key", "")
    if key and ApiKey.objects.filter(key_hash=key_hash(key), active=True).exists():
        return SYSTEM, Source.OPEN311
    header = request.headers.get("Authorization", "")
    token = header[7:] if header.startswith("Bearer ") else key
    user = token_authenticate(token) if token else None
    if user is not None:
        return Actor(user), None
    return None, None


def _decimal(value):
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_view(request, fmt):
    if request.method == "POST":
        return _post(request, fmt)
    return _search(request, fmt)


def _post(request, fmt):
    actor, source = _actor_for_post(request)
    if actor is None:
        return _error(fmt, 403, 403, "api_key is missing or invalid")
    data = request.POST
    category = Category.objects.filter(code=data.get("service_code", ""), active=True).first()
    if category is None:
        return _error(fmt, 400, 400, "service_code is missing or unknown")
    description = data.get("description", "")
    if len(description) > MAX_DESCRIPTION:
        return _error(fmt, 400, 400, "description is longer than 4000 characters")
    lat, lng = _decimal(data.get("lat")), _decimal(data.get("long"))
    building = None
    if data.get("address_id"):
        building = Building.objects.filter(pk=data["address_id"]).first()
        if building is None:
            return _error(fmt, 400, 400, "address_id not found")
    if (lat is None or lng is None) and building is None:
        return _error(fmt, 400, 400, "a location is required: lat and long, or address_id")
    urgency = data.get("attribute[urgency]") or Urgency.GENERAL
    if urgency not in Urgency.values:
        return _error(fmt, 400, 400, "attribute[urgency] has an unknown value")
    name = " ".join(p for p in (data.get("last_name", ""), data.get("first_name", "")) if p)
    try:
        event = services.event_report(
            actor=actor,
            title=(description or category.name)[:60],
            description=description or category.name,
            category=category,
            urgency=urgency,
            building=building,
            lat=lat,
            lng=lng,
            address=data.get("address_string", "")[:200],
            contact=" ".join(p for p in (name, data.get("phone", "")) if p)[:60],
            source=source,
        )
    except ValidationError as exc:
        return _error(fmt, 400, 400, "; ".join(exc.messages))
    except PermissionDenied:
        return _error(fmt, 403, 403, "this account may not report at this location")
    return _respond(
        fmt,
        "service_requests",
        "request",
        [{"service_request_id": event.pk, "service_notice": "", "account_id": ""}],
    )


def _search(request, fmt):
    qs = Event.objects.select_related("category", "grid", "building")
    params = request.GET
    if params.get("service_request_id"):
        ids = [p for p in params["service_request_id"].split(",") if p.strip().isdigit()]
        qs = qs.filter(pk__in=ids)
    else:
        end = parse_datetime(params["end_date"]) if params.get("end_date") else timezone.now()
        start = (
            parse_datetime(params["start_date"])
            if params.get("start_date")
            else end - datetime.timedelta(days=90)
        )
        if start is None or end is None:
            return _error(fmt, 400, 400, "start_date and end_date must be ISO 8601 date-times")
        if end - start > MAX_RANGE:
            return _error(fmt, 400, 400, "start_date and end_date may be at most 90 days apart")
        qs = qs.filter(reported_at__gte=start, reported_at__lte=end)
        if params.get("service_code"):
            qs = qs.filter(category__code__in=params["service_code"].split(","))
        status = params.get("status")
        if status == "open":
            qs = qs.filter(state__in=OPEN_STATES)
        elif status == "closed":
            qs = qs.filter(state__in=[State.CLOSED, State.REJECTED])
    rows = [_request(e) for e in qs.order_by("-reported_at")[:1000]]
    return _respond(fmt, "service_requests", "request", rows)


@require_GET
def request_detail(request, pk, fmt):
    event = Event.objects.select_related("category", "grid", "building").filter(pk=pk).first()
    if event is None:
        return _error(fmt, 404, 404, "service_request_id not found")
    return _respond(fmt, "service_requests", "request", [_request(event)])


@require_GET
def token_detail(request, token, fmt):
    event = Event.objects.filter(number=token).first()
    if event is None:
        return _error(fmt, 404, 404, "token not found")
    return _respond(
        fmt, "service_requests", "request", [{"service_request_id": event.pk, "token": token}]
    )
