"""Oversubscribed slots given out by the shared verifiable lottery (docs/lottery.md).

Residents cannot manage draws; this module checks that they may book the resource and then
enters them into the draw as the system. Winners are booked in draw order (each through
``booking_create`` with all its rules); whoever cannot be booked is skipped, and everyone not
booked joins the resource's waiting list in draw order, so freed places follow the draw too.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import User
from linli.core import audit
from linli.core.scoping import SYSTEM, Actor, authorize, require_perm
from linli.lottery import services as lottery
from linli.lottery.models import Entry
from linli.sharing import schedule, services
from linli.sharing.choices import Status
from linli.sharing.models import SlotLottery, WaitlistEntry
from linli.sharing.selectors import day_availability, resources_for_booking


@transaction.atomic
def slot_lottery_open(*, actor, resource, start, end, now=None):
    authorize(actor, "sharing.manage_resource", resource)
    if end <= start or not schedule.within_hours(resource, start, end):
        raise ValidationError(_("所选时间不在开放时间内"))
    slots = set(schedule.slots_between(resource, start, end))
    free = [
        n for slot, n in day_availability(resource, schedule.local(start).date()) if slot in slots
    ]
    if not free or min(free) < 1:
        raise ValidationError(_("该时段已无空余名额"))
    draw = lottery.draw_create(
        actor=actor,
        unit=resource.owner_unit,
        title=f"{resource.name} {schedule.local(start):%Y-%m-%d %H:%M}",
        slots=min(free),
        source=f"sharing:{resource.code}",
        now=now,
    )
    row = SlotLottery(resource=resource, start=start, end=end, draw=draw)
    row.full_clean()
    row.save()
    audit.record(actor, "sharing.lottery_open", row, draw=draw.code)
    return row


@transaction.atomic
def slot_lottery_enter(*, actor, slot_lottery):
    require_perm(actor, "sharing.book")
    if not resources_for_booking(actor).filter(pk=slot_lottery.resource_id).exists():
        raise Http404
    if slot_lottery.state != SlotLottery.State.OPEN:
        raise ValidationError(_("报名已截止"))
    ref = f"user-{actor.user_id}"
    if Entry.objects.filter(draw=slot_lottery.draw, ref=ref).exists():
        raise ValidationError(_("您已报名该抽签"))
    name = actor.user.first_name or actor.user.get_username()
    return lottery.draw_enter(actor=SYSTEM, draw=slot_lottery.draw, label=f"{name[:1]}**", ref=ref)


@transaction.atomic
def slot_lottery_run(*, actor, slot_lottery, public_value="", now=None):
    """Close and run the draw, then book the winners in order; returns the bookings made."""
    now = now or timezone.now()
    authorize(actor, "sharing.manage_resource", slot_lottery.resource)
    row = SlotLottery.objects.select_for_update().get(pk=slot_lottery.pk)
    if row.state != SlotLottery.State.OPEN:
        raise ValidationError(_("该抽签已经开奖"))
    lottery.draw_close(actor=actor, draw=row.draw, public_value=public_value, now=now)
    lottery.draw_run(actor=actor, draw=row.draw, now=now)
    row.state = SlotLottery.State.DRAWN
    row.save(update_fields=["state"])
    entries = Entry.objects.filter(draw=row.draw).order_by("position")
    users = {
        f"user-{u.pk}": u
        for u in User.objects.filter(pk__in=[int(e.ref.split("-")[1]) for e in entries])
    }
    booked, rest = [], []
    for entry in entries:
        user = users[entry.ref]
        if len(booked) >= row.draw.slots:
            rest.append(user)
            continue
        try:
            with transaction.atomic():
                booking = services.booking_create(
                    actor=Actor(user),
                    resource=row.resource,
                    start=row.start,
                    end=row.end,
                    source=f"lottery:{row.draw.code}",
                    now=now,
                )
                if booking.status == Status.PENDING:
                    booking = services.booking_decide(actor=actor, booking=booking, approve=True)
            booked.append(booking)
        except ValidationError:
            rest.append(user)
    WaitlistEntry.objects.bulk_create(
        WaitlistEntry(resource=row.resource, user=user, start=row.start, end=row.end)
        for user in rest
    )
    audit.record(actor, "sharing.lottery_run", row, booked=len(booked), waiting=len(rest))
    return booked
