"""Reads for sharing pages, feeds and reports."""

import datetime

from django.db.models import Q
from django.utils import timezone

from linli.org.choices import UnitKind
from linli.org.models import OrgUnit
from linli.sharing.choices import BookingState
from linli.sharing.models import Booking, Resource
from linli.sharing.services import booking_community, may_book

USED = (BookingState.APPROVED, BookingState.CHECKED_IN, BookingState.NO_SHOW)


def resources_for_booking(actor, on_behalf_of=None):
    """Active resources the actor's community may book (own, street-wide or district-wide)."""
    community = booking_community(actor, on_behalf_of)
    candidates = Resource.objects.filter(active=True).select_related("unit", "kind")
    step = OrgUnit.steplen
    candidates = candidates.filter(unit__path__startswith=community.path[: 2 * step])
    return [r for r in candidates if may_book(r, community)]


def managed_resources(actor):
    return Resource.objects.visible_to(actor, "sharing.manage").select_related("unit", "kind")


def bookings(actor, *, state=None, resource=None):
    qs = Booking.objects.visible_to(actor).select_related("resource", "community", "person")
    if state:
        qs = qs.filter(state=state)
    if resource is not None:
        qs = qs.filter(resource=resource)
    return qs


def my_bookings(actor):
    return (
        Booking.objects.filter(booker_id=actor.user_id)
        .select_related("resource__unit")
        .order_by("-start")
    )


def reciprocity(*, street, since):
    """Hours given and received between each pair of communities of a street: rows of
    (owner community, booking community, hours) and per-community totals."""
    communities = list(
        OrgUnit.objects.filter(kind=UnitKind.COMMUNITY, path__startswith=street.path).order_by(
            "path"
        )
    )
    ids = [c.pk for c in communities]
    pairs = {}
    for b in Booking.objects.filter(
        state__in=USED, start__gte=since, resource__unit__in=ids, community__in=ids
    ).values("resource__unit", "community", "start", "end"):
        if b["resource__unit"] == b["community"]:
            continue
        key = (b["resource__unit"], b["community"])
        pairs[key] = pairs.get(key, 0) + (b["end"] - b["start"]).total_seconds() / 3600
    names = {c.pk: c for c in communities}
    rows = [(names[a], names[b], round(h, 1)) for (a, b), h in sorted(pairs.items())]
    totals = [
        {
            "community": c,
            "given": round(sum(h for (a, _b), h in pairs.items() if a == c.pk), 1),
            "received": round(sum(h for (_a, b), h in pairs.items() if b == c.pk), 1),
        }
        for c in communities
    ]
    return rows, totals


def utilisation(resource, *, since, until):
    """Share of seat-hours used by hour of week: {(weekday, hour): percent}."""
    from linli.sharing.models import Seat
    from linli.sharing.services import opening

    offered, used = {}, {}
    day = timezone.localtime(since).date()
    while day < timezone.localtime(until).date():
        for opens, closes in opening(resource, day):
            cursor = opens
            while cursor < closes:
                key = (day.weekday(), cursor.hour)
                offered[key] = offered.get(key, 0) + resource.capacity
                cursor += datetime.timedelta(minutes=resource.slot_minutes)
        day += datetime.timedelta(days=1)
    for slot in Seat.objects.filter(
        resource=resource, slot__gte=since, slot__lt=until, booking__state__in=USED
    ).values_list("slot", flat=True):
        local = timezone.localtime(slot)
        key = (local.weekday(), local.hour)
        used[key] = used.get(key, 0) + 1
    return {k: round(used.get(k, 0) * 100 / v, 1) for k, v in offered.items() if v}


def resource_feed(resource):
    """Busy times only: a public feed carries no names."""
    return Booking.objects.filter(resource=resource).filter(
        Q(state__in=USED) | Q(state=BookingState.PENDING)
    )
