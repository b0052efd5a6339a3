"""Every read of the sharing module for requests."""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from linli.org.models import OrgUnit
from linli.sharing import schedule
from linli.sharing.choices import ACTIVE, USED, Reach
from linli.sharing.models import Booking, Resource, Seat

STREET_DEPTH = 3
DISTRICT_DEPTH = 2


def resources_for_booking(actor):
    """Active resources the actor may book: own community's, and others' open to the street or
    district (a resource's reach decides how far up the tree borrowers may come from)."""
    qs = Resource.objects.filter(active=True).select_related("owner_unit", "organisation")
    if actor.is_superuser:
        return qs
    step = OrgUnit.steplen
    q = Q(pk__in=[])
    for grant in actor.grants_with("sharing.book"):
        path = grant.unit_path
        q |= Q(owner_unit__path__startswith=path)
        if len(path) >= STREET_DEPTH * step:
            q |= Q(
                reach__in=(Reach.STREET, Reach.DISTRICT),
                owner_unit__path__startswith=path[: STREET_DEPTH * step],
            )
        if len(path) >= DISTRICT_DEPTH * step:
            q |= Q(reach=Reach.DISTRICT, owner_unit__path__startswith=path[: DISTRICT_DEPTH * step])
    return qs.filter(q)


def managed_resources(actor):
    return Resource.objects.visible_to(actor, "sharing.manage_resource").select_related(
        "owner_unit"
    )


def my_bookings(actor):
    return (
        Booking.objects.filter(booker_id=actor.user_id)
        .select_related("resource", "resource__owner_unit")
        .order_by("-start")
    )


def bookings_to_handle(actor, now=None):
    """Bookings not yet over on the actor's resources: to approve, check in or cancel."""
    return (
        Booking.objects.visible_to(actor, "sharing.approve_booking")
        .filter(status__in=ACTIVE, end__gte=now or timezone.now())
        .select_related("resource", "booker", "borrower_unit", "on_behalf_of")
        .order_by("start")
    )


def day_availability(resource, day):
    """(slot start, free places) for each slot of ``day``."""
    slots = schedule.day_slots(resource, day)
    used = defaultdict(int)
    for slot in Seat.objects.filter(resource=resource, slot__in=slots).values_list(
        "slot", flat=True
    ):
        used[slot] += 1
    return [(slot, resource.capacity - used[slot]) for slot in slots]


def week_calendar(resource, first_day):
    resource = Resource.objects.prefetch_related("hours", "exceptions").get(pk=resource.pk)
    return [
        (
            first_day + datetime.timedelta(days=i),
            day_availability(resource, first_day + datetime.timedelta(days=i)),
        )
        for i in range(7)
    ]


def _report_bookings(actor, since, until):
    return Booking.objects.visible_to(actor, "sharing.view_report").filter(
        status__in=USED, start__gte=since, start__lt=until
    )


def reciprocity(actor, since, until):
    """Hours given and received between each pair of communities, biggest first.

    Rows: (giver, receiver, hours) where the giver owns the resource and the receiver's
    residents or organisations used it; own-community use is left out.
    """
    totals = defaultdict(float)
    units = {}
    rows = _report_bookings(actor, since, until).select_related(
        "resource__owner_unit", "borrower_unit"
    )
    for b in rows:
        giver, receiver = b.resource.owner_unit, b.borrower_unit
        if giver.pk == receiver.pk:
            continue
        units[giver.pk], units[receiver.pk] = giver, receiver
        totals[(giver.pk, receiver.pk)] += b.hours * b.places
    return sorted(
        ((units[g], units[r], round(h, 1)) for (g, r), h in totals.items()),
        key=lambda row: (-row[2], row[0].name, row[1].name),
    )


def reciprocity_balance(rows):
    """Per community: hours given, received, and the difference."""
    given, received, names = defaultdict(float), defaultdict(float), {}
    for giver, receiver, hours in rows:
        given[giver.pk] += hours
        received[receiver.pk] += hours
        names[giver.pk], names[receiver.pk] = giver.name, receiver.name
    return sorted(
        (
            (
                names[pk],
                round(given[pk], 1),
                round(received[pk], 1),
                round(given[pk] - received[pk], 1),
            )
            for pk in names
        ),
        key=lambda row: row[0],
    )


def utilisation(actor, since, until, resource=None):
    """Booked share of open place-hours by hour of week: {(weekday, hour): (booked, open)}."""
    resources = Resource.objects.visible_to(actor, "sharing.view_report").prefetch_related(
        "hours", "exceptions"
    )
    if resource is not None:
        resources = resources.filter(pk=resource.pk)
    open_hours = defaultdict(float)
    booked = defaultdict(float)
    resources = list(resources)
    day = since
    while day < until:
        for r in resources:
            for slot in schedule.day_slots(r, day):
                local = schedule.local(slot)
                open_hours[(local.weekday(), local.hour)] += r.capacity * r.slot_minutes / 60
        day += datetime.timedelta(days=1)
    tz = timezone.get_current_timezone()
    seats = Seat.objects.filter(
        resource__in=resources,
        slot__gte=datetime.datetime.combine(since, datetime.time(0), tzinfo=tz),
        slot__lt=datetime.datetime.combine(until, datetime.time(0), tzinfo=tz),
        booking__status__in=USED,
    ).select_related("resource")
    for seat in seats:
        local = schedule.local(seat.slot)
        booked[(local.weekday(), local.hour)] += seat.resource.slot_minutes / 60
    return {key: (round(booked[key], 1), round(hours, 1)) for key, hours in open_hours.items()}
