import datetime

from django.shortcuts import get_object_or_404
from ninja import Router

from linli.core.scoping import get_visible_or_404, require_perm
from linli.org.models import Organisation
from linli.sharing import selectors, services
from linli.sharing.models import Booking
from linli.sharing.schemas import (
    BookingIn,
    BookingOut,
    DecisionIn,
    ReciprocityOut,
    ResourceOut,
    SlotOut,
)

router = Router(tags=["sharing"])


@router.get("/resources", response=list[ResourceOut])
def list_resources(request):
    return selectors.resources_for_booking(request.actor)


@router.get("/resources/{code}/availability", response=list[SlotOut])
def availability(request, code: str, day: datetime.date):
    resource = get_object_or_404(selectors.resources_for_booking(request.actor), code=code)
    week = selectors.week_calendar(resource, day)
    return [{"start": slot, "free": free} for slot, free in week[0][1]]


@router.get("/bookings", response=list[BookingOut])
def my_bookings(request):
    return selectors.my_bookings(request.actor).select_related("borrower_unit")[:200]


@router.post("/bookings", response={201: BookingOut})
def create_booking(request, payload: BookingIn):
    resource = get_object_or_404(
        selectors.resources_for_booking(request.actor), code=payload.resource
    )
    on_behalf_of = (
        get_visible_or_404(Organisation, request.actor, code=payload.on_behalf_of)
        if payload.on_behalf_of
        else None
    )
    booking = services.booking_create(
        actor=request.actor,
        resource=resource,
        start=payload.start,
        end=payload.end,
        places=payload.places,
        purpose=payload.purpose,
        on_behalf_of=on_behalf_of,
        source="api",
    )
    return 201, booking


@router.post("/bookings/{int:pk}/cancel", response=BookingOut)
def cancel_booking(request, pk: int):
    booking = get_visible_or_404(Booking, request.actor, pk=pk)
    return services.booking_cancel(actor=request.actor, booking=booking)


@router.post("/bookings/{int:pk}/decision", response=BookingOut)
def decide_booking(request, pk: int, payload: DecisionIn):
    booking = get_visible_or_404(Booking, request.actor, pk=pk)
    if payload.action == "check_in":
        return services.booking_check_in(actor=request.actor, booking=booking)
    return services.booking_decide(
        actor=request.actor,
        booking=booking,
        approve=payload.action == "approve",
        reason=payload.reason,
    )


@router.get("/reciprocity", response=list[ReciprocityOut])
def reciprocity(request, since: datetime.datetime, until: datetime.datetime):
    require_perm(request.actor, "sharing.view_report")
    return [
        {"giver": g.name, "receiver": r.name, "hours": h}
        for g, r, h in selectors.reciprocity(request.actor, since, until)
    ]
