import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from linli.accounts.models import User
from linli.core.scoping import get_visible_or_404
from linli.grid import selectors, services
from linli.grid.models import CareRecord, Category, Event
from linli.org.models import Building

router = Router(tags=["grid"])


class EventOut(Schema):
    id: int
    number: str
    title: str
    description: str
    category: str
    urgency: str
    state: str
    level: str
    grid_id: int
    building_id: int | None
    assignee_id: int | None
    reported_at: datetime.datetime
    due_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    rating: int | None

    @staticmethod
    def resolve_category(obj):
        return obj.category.code


class ReportIn(Schema):
    title: str
    description: str
    category: str
    urgency: str = "general"
    building_id: int | None = None
    lat: float | None = None
    lng: float | None = None
    address: str = ""


class ActionIn(Schema):
    note: str = ""
    assignee_id: int | None = None
    passed: bool | None = None
    rating: int | None = None


class CareOut(Schema):
    id: int
    person_id: int
    name: str
    tier: str
    helper_id: int | None
    next_visit_due: datetime.date | None

    @staticmethod
    def resolve_name(obj):
        return obj.person.name


class VisitIn(Schema):
    method: str = "in_person"
    note: str = ""
    needs: str = ""


class VisitOut(Schema):
    id: int
    at: datetime.datetime
    method: str


@router.get("/events", response=list[EventOut])
@paginate(PageNumberPagination, page_size=50)
def list_events(request, state: str | None = None, overdue: bool = False):
    return selectors.events(request.actor, state=state, overdue=overdue)


@router.get("/events/{event_id}", response=EventOut)
def get_event(request, event_id: int):
    return get_visible_or_404(Event, request.actor, pk=event_id)


@router.post("/events", response=EventOut)
def report(request, payload: ReportIn):
    category = get_object_or_404(Category, code=payload.category, active=True)
    building = get_object_or_404(Building, pk=payload.building_id) if payload.building_id else None
    return services.event_report(
        actor=request.actor,
        title=payload.title,
        description=payload.description,
        category=category,
        urgency=payload.urgency,
        building=building,
        lat=payload.lat,
        lng=payload.lng,
        address=payload.address,
    )


@router.post("/events/{event_id}/{action}", response=EventOut)
def act(request, event_id: int, action: str, payload: ActionIn):
    event = get_visible_or_404(Event, request.actor, pk=event_id)
    actor = request.actor
    if action == "accept":
        return services.event_accept(actor=actor, event=event)
    if action == "reject":
        return services.event_reject(actor=actor, event=event, reason=payload.note)
    if action == "dispatch":
        assignee = get_object_or_404(User, pk=payload.assignee_id)
        return services.event_dispatch(actor=actor, event=event, assignee=assignee)
    if action == "handle":
        return services.event_handle(actor=actor, event=event, note=payload.note)
    if action == "feedback":
        return services.event_feedback(actor=actor, event=event, note=payload.note)
    if action == "check":
        return services.event_check(
            actor=actor, event=event, passed=bool(payload.passed), note=payload.note
        )
    if action == "rate":
        return services.event_rate(
            actor=actor, event=event, rating=payload.rating or 0, note=payload.note
        )
    raise Http404


@router.get("/care", response=list[CareOut])
@paginate(PageNumberPagination, page_size=100)
def care(request, overdue: bool = False):
    return selectors.care_records(request.actor, overdue=overdue)


@router.post("/care/{record_id}/visits", response=VisitOut)
def visit(request, record_id: int, payload: VisitIn):
    record = get_visible_or_404(CareRecord, request.actor, pk=record_id)
    return services.visit_record(
        actor=request.actor,
        record=record,
        method=payload.method,
        note=payload.note,
        needs=payload.needs,
    )
