import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from linli.sharing import selectors, services
from linli.sharing.models import Booking

router = Router(tags=["sharing"])


class ResourceOut(Schema):
    id: int
    name: str
    kind: str
    unit_id: int
    capacity: int
    slot_minutes: int
    needs_approval: bool

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.code


class SlotOut(Schema):
    start: datetime.datetime
    free: int


class BookingIn(Schema):
    resource_id: int
    start: datetime.datetime
    minutes: int
    places: int = 1
    purpose: str = ""


class BookingOut(Schema):
    id: int
    resource_id: int
    start: datetime.datetime
    end: datetime.datetime
    places: int
    state: str


def _bookable(request, pk):
    for resource in selectors.resources_for_booking(request.actor):
        if resource.pk == pk:
            return resource
    raise Http404


@router.get("/resources", response=list[ResourceOut])
def resources(request):
    return selectors.resources_for_booking(request.actor)


@router.get("/resources/{resource_id}/availability", response=list[SlotOut])
def availability(request, resource_id: int, day: datetime.date):
    resource = _bookable(request, resource_id)
    return [{"start": s, "free": n} for s, n in services.availability(resource, day)]


@router.post("/bookings", response=BookingOut)
def book(request, payload: BookingIn):
    resource = _bookable(request, payload.resource_id)
    return services.booking_create(
        actor=request.actor,
        resource=resource,
        start=payload.start,
        end=payload.start + datetime.timedelta(minutes=payload.minutes),
        places=payload.places,
        purpose=payload.purpose,
    )


@router.get("/bookings/mine", response=list[BookingOut])
def mine(request):
    return selectors.my_bookings(request.actor)[:200]


@router.post("/bookings/{booking_id}/cancel", response=BookingOut)
def cancel(request, booking_id: int):
    booking = get_object_or_404(Booking, pk=booking_id, booker_id=request.actor.user_id)
    return services.booking_cancel(actor=request.actor, booking=booking)
