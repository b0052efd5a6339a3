"""Every write of the sharing module. Bookings hold seats; seats are unique per slot."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit
from linli.core.locking import lock_rows
from linli.core.notify import notify
from linli.core.scoping import authorize, require_perm
from linli.org.choices import UnitKind
from linli.org.models import OrgUnit
from linli.sharing import conf, schedule
from linli.sharing.choices import ACTIVE, Status
from linli.sharing.models import (
    Booking,
    Quota,
    Resource,
    ScheduleException,
    Seat,
    SlotLottery,
    WaitlistEntry,
    WeeklyHours,
)
from linli.sharing.selectors import resources_for_booking


def _owner_staff(resource):
    from linli.accounts.models import RoleGrant

    grants = RoleGrant.objects.active().filter(
        role__in=("community_staff",), unit=resource.owner_unit
    )
    if resource.organisation_id:
        grants = grants | RoleGrant.objects.active().filter(
            role="org_manager", organisation_id=resource.organisation_id
        )
    return [g.user for g in grants.select_related("user")]


@transaction.atomic
def resource_create(*, actor, owner_unit, code, name, kind, organisation=None, hours=(), **fields):
    """``hours``: (weekday, opens, closes) triples for the weekly schedule."""
    resource = Resource(
        owner_unit=owner_unit, organisation=organisation, code=code, name=name, kind=kind, **fields
    )
    resource.full_clean()
    resource.save()
    authorize(actor, "sharing.manage_resource", resource)
    for weekday, opens, closes in hours:
        hours_add(actor=actor, resource=resource, weekday=weekday, opens=opens, closes=closes)
    audit.record(actor, "sharing.resource_create", resource)
    return resource


@transaction.atomic
def hours_add(*, actor, resource, weekday, opens, closes):
    authorize(actor, "sharing.manage_resource", resource)
    row = WeeklyHours(resource=resource, weekday=weekday, opens=opens, closes=closes)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def hours_remove(*, actor, row):
    authorize(actor, "sharing.manage_resource", row.resource)
    row.delete()


@transaction.atomic
def exception_set(*, actor, resource, date, closed=True, opens=None, closes=None, note=""):
    """Blackout a date (closed) or give it special hours; replaces an earlier exception."""
    authorize(actor, "sharing.manage_resource", resource)
    ScheduleException.objects.filter(resource=resource, date=date).delete()
    row = ScheduleException(
        resource=resource, date=date, closed=closed, opens=opens, closes=closes, note=note
    )
    row.full_clean()
    row.save()
    audit.record(actor, "sharing.exception_set", resource, date=str(date), closed=closed)
    return row


@transaction.atomic
def quota_set(*, actor, owner_unit, borrower_unit, monthly_hours):
    if not actor.can("sharing.manage_resource", owner_unit) and not actor.is_superuser:
        raise PermissionDenied
    quota, _created = Quota.objects.update_or_create(
        owner_unit=owner_unit,
        borrower_unit=borrower_unit,
        defaults={"monthly_hours": monthly_hours},
    )
    audit.record(actor, "sharing.quota_set", quota, hours=monthly_hours, unit=owner_unit)
    return quota


def _borrower_unit(actor, resource, on_behalf_of):
    if on_behalf_of is not None:
        return OrgUnit.objects.get(pk=on_behalf_of.unit_id)
    for grant in actor.grants_with("sharing.book"):
        if grant.unit_kind == UnitKind.COMMUNITY:
            return OrgUnit.objects.get(pk=grant.unit_id)
    for grant in actor.grants_with("sharing.book"):
        return OrgUnit.objects.get(pk=grant.unit_id)
    return resource.owner_unit


def _fail(message):
    raise ValidationError(message)


def _check_rules(actor, resource, start, end, places, now):
    if not resource.active:
        _fail(_("该资源暂停预约"))
    if end <= start:
        _fail(_("结束时间须晚于开始时间"))
    if not (schedule.aligned(resource, start) and schedule.aligned(resource, end)):
        _fail(_("请按 %(m)s 分钟的时段预约") % {"m": resource.slot_minutes})
    if not schedule.within_hours(resource, start, end):
        _fail(_("所选时间不在开放时间内"))
    if (end - start) > datetime.timedelta(minutes=resource.max_duration_minutes):
        _fail(_("单次预约最长 %(m)s 分钟") % {"m": resource.max_duration_minutes})
    if start < now + datetime.timedelta(hours=resource.min_notice_hours):
        _fail(_("需至少提前 %(h)s 小时预约") % {"h": resource.min_notice_hours})
    if start > now + datetime.timedelta(days=resource.max_notice_days):
        _fail(_("最多只能提前 %(d)s 天预约") % {"d": resource.max_notice_days})
    if not 1 <= places <= resource.capacity:
        _fail(_("名额须在 1 到 %(c)s 之间") % {"c": resource.capacity})


def _check_person_limits(actor, resource, start, end, now):
    if actor.user_id is None:
        return
    mine = Booking.objects.filter(booker_id=actor.user_id)
    if mine.filter(resource=resource, status__in=ACTIVE, start__lt=end, end__gt=start).exists():
        _fail(_("您在该时段已有预约，不能重复预约"))
    local_start = schedule.local(start)
    week_start = local_start.date() - datetime.timedelta(days=local_start.weekday())
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(week_start, datetime.time(0), tzinfo=tz)
    weekly = mine.filter(
        resource=resource,
        status__in=ACTIVE,
        start__gte=since,
        start__lt=since + datetime.timedelta(days=7),
    ).count()
    if weekly >= resource.max_per_week:
        _fail(_("每人每周最多预约该资源 %(n)s 次") % {"n": resource.max_per_week})
    no_shows = mine.filter(
        status=Status.NO_SHOW,
        start__gte=now - datetime.timedelta(days=conf.NO_SHOW_WINDOW_DAYS),
    ).count()
    if no_shows >= conf.NO_SHOW_LIMIT:
        _fail(
            _("您近 %(d)s 天内有 %(n)s 次预约未到场，暂不能预约")
            % {"d": conf.NO_SHOW_WINDOW_DAYS, "n": no_shows}
        )


def _check_quota(resource, borrower_unit, start, end):
    if borrower_unit.pk == resource.owner_unit_id:
        return
    quota = Quota.objects.filter(
        owner_unit_id=resource.owner_unit_id, borrower_unit=borrower_unit
    ).first()
    if quota is None:
        return
    local_start = schedule.local(start)
    month = local_start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    used = Booking.objects.filter(
        resource__owner_unit_id=resource.owner_unit_id,
        borrower_unit=borrower_unit,
        status__in=ACTIVE,
        start__gte=month,
        start__lt=next_month,
    ).aggregate(total=Sum(F("end") - F("start")))["total"] or datetime.timedelta(0)
    if used + (end - start) > datetime.timedelta(hours=quota.monthly_hours):
        _fail(
            _("%(b)s 本月使用 %(o)s 资源的配额（%(h)s 小时）已用完")
            % {"b": borrower_unit.name, "o": resource.owner_unit.name, "h": quota.monthly_hours}
        )


def _free_numbers(resource, slots):
    taken = {}
    for slot, number in Seat.objects.filter(resource=resource, slot__in=slots).values_list(
        "slot", "number"
    ):
        taken.setdefault(slot, set()).add(number)
    return {
        slot: [n for n in range(resource.capacity) if n not in taken.get(slot, set())]
        for slot in slots
    }


@transaction.atomic
def booking_create(
    *,
    actor,
    resource,
    start,
    end,
    places=1,
    purpose="",
    on_behalf_of=None,
    source="",
    now=None,
):
    """Book ``places`` in every slot of [start, end); refused with a clear message otherwise."""
    now = now or timezone.now()
    require_perm(actor, "sharing.book")
    if not resources_for_booking(actor).filter(pk=resource.pk).exists():
        raise Http404
    if on_behalf_of is not None and not (
        actor.is_superuser or actor.can("org.view_organisation", on_behalf_of)
    ):
        raise PermissionDenied
    if actor.user is None:
        _fail(_("系统账号不能直接预约"))
    _check_rules(actor, resource, start, end, places, now)
    # Everything that counts rows happens under the resource lock, so concurrent requests see
    # each other's bookings.
    resource = lock_rows(Resource, [resource.pk])[resource.pk]
    borrower_unit = _borrower_unit(actor, resource, on_behalf_of)
    _check_person_limits(actor, resource, start, end, now)
    _check_quota(resource, borrower_unit, start, end)
    if SlotLottery.objects.filter(
        resource=resource, state=SlotLottery.State.OPEN, start__lt=end, end__gt=start
    ).exists():
        _fail(_("该时段名额以抽签方式分配，请报名参加抽签"))
    slots = schedule.slots_between(resource, start, end)
    free = _free_numbers(resource, slots)
    if any(len(numbers) < places for numbers in free.values()):
        _fail(_("所选时段名额已满，可加入候补"))
    owner = actor.can("sharing.approve_booking", resource) if not actor.is_superuser else True
    booking = Booking(
        resource=resource,
        booker=actor.user,
        borrower_unit=borrower_unit,
        on_behalf_of=on_behalf_of,
        start=start,
        end=end,
        places=places,
        purpose=purpose,
        source=source,
        status=Status.PENDING if resource.needs_approval and not owner else Status.CONFIRMED,
    )
    booking.full_clean()
    booking.save()
    Seat.objects.bulk_create(
        Seat(booking=booking, resource=resource, slot=slot, number=n)
        for slot in slots
        for n in free[slot][:places]
    )
    audit.record(actor, "sharing.booking_create", booking, status=booking.status)
    if booking.status == Status.PENDING:
        notify(
            _owner_staff(resource),
            _("新的预约待审批：%(r)s") % {"r": resource.name},
            f"{borrower_unit.name} {schedule.local(start):%m-%d %H:%M}",
            url=reverse("console:sharing:home"),
            kind="sharing.pending",
        )
    return booking


def _release(booking):
    booking.seats.all().delete()
    _offer_waitlist(booking.resource, booking.start, booking.end)


def _offer_waitlist(resource, start, end):
    """Offer the freed time to the first waiting person whose request now fits."""
    waiting = WaitlistEntry.objects.filter(
        resource=resource, offered_at__isnull=True, start__lt=end, end__gt=start
    ).select_related("user")
    for entry in waiting:
        free = _free_numbers(resource, schedule.slots_between(resource, entry.start, entry.end))
        if all(len(n) >= entry.places for n in free.values()):
            entry.offered_at = timezone.now()
            entry.save(update_fields=["offered_at"])
            notify(
                [entry.user],
                _("候补有空位：%(r)s") % {"r": resource.name},
                f"{schedule.local(entry.start):%m-%d %H:%M}",
                url=reverse("m:sharing:resource", args=[resource.code]),
                kind="sharing.waitlist",
            )
            return entry
    return None


@transaction.atomic
def booking_decide(*, actor, booking, approve, reason=""):
    authorize(actor, "sharing.approve_booking", booking)
    booking = lock_rows(Booking, [booking.pk])[booking.pk]
    if booking.status != Status.PENDING:
        _fail(_("该预约不在待审批状态"))
    booking.status = Status.CONFIRMED if approve else Status.REJECTED
    booking.reason = reason
    booking.decided_by = actor.user
    booking.save(update_fields=["status", "reason", "decided_by"])
    if not approve:
        _release(booking)
    audit.record(actor, "sharing.booking_decide", booking, approve=approve, reason=reason)
    notify(
        [booking.booker],
        (_("预约已通过：%(r)s") if approve else _("预约未通过：%(r)s"))
        % {"r": booking.resource.name},
        reason,
        url=reverse("m:sharing:mine"),
        kind="sharing.decision",
    )
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking, reason="", now=None):
    now = now or timezone.now()
    own = actor.user_id is not None and booking.booker_id == actor.user_id
    if not own:
        authorize(actor, "sharing.approve_booking", booking)
    booking = lock_rows(Booking, [booking.pk])[booking.pk]
    if booking.status not in (Status.PENDING, Status.CONFIRMED):
        _fail(_("该预约已不能取消"))
    if own and booking.start - now < datetime.timedelta(hours=conf.CANCEL_MIN_HOURS):
        _fail(_("开始前 %(h)s 小时内不能自行取消，请联系管理方") % {"h": conf.CANCEL_MIN_HOURS})
    booking.status = Status.CANCELLED
    booking.reason = reason
    booking.save(update_fields=["status", "reason"])
    _release(booking)
    audit.record(actor, "sharing.booking_cancel", booking, reason=reason)
    if not own:
        notify(
            [booking.booker],
            _("预约已被取消：%(r)s") % {"r": booking.resource.name},
            reason,
            url=reverse("m:sharing:mine"),
            kind="sharing.cancel",
        )
    return booking


@transaction.atomic
def booking_check_in(*, actor, booking, now=None):
    now = now or timezone.now()
    authorize(actor, "sharing.approve_booking", booking)
    booking = lock_rows(Booking, [booking.pk])[booking.pk]
    if booking.status != Status.CONFIRMED:
        _fail(_("只有已确认的预约可以签到"))
    if not booking.start - datetime.timedelta(minutes=30) <= now <= booking.end:
        _fail(_("只能在预约开始前 30 分钟至结束前签到"))
    booking.status = Status.CHECKED_IN
    booking.checked_in_at = now
    booking.save(update_fields=["status", "checked_in_at"])
    audit.record(actor, "sharing.booking_check_in", booking)
    return booking


@transaction.atomic
def waitlist_join(*, actor, resource, start, end, places=1, now=None):
    now = now or timezone.now()
    require_perm(actor, "sharing.book")
    if not resources_for_booking(actor).filter(pk=resource.pk).exists():
        raise Http404
    _check_rules(actor, resource, start, end, places, now)
    entry = WaitlistEntry(resource=resource, user=actor.user, start=start, end=end, places=places)
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def no_shows_mark(*, now=None):
    """Confirmed bookings nobody checked in for, past the grace period, become no-shows."""
    now = now or timezone.now()
    late = Booking.objects.filter(
        status=Status.CONFIRMED,
        start__lt=now - datetime.timedelta(minutes=conf.NO_SHOW_GRACE_MINUTES),
    )
    return late.update(status=Status.NO_SHOW)


@transaction.atomic
def reminders_send(*, now=None):
    now = now or timezone.now()
    due = Booking.objects.filter(
        status=Status.CONFIRMED,
        reminded_at__isnull=True,
        start__gt=now,
        start__lte=now + datetime.timedelta(hours=conf.REMIND_HOURS_BEFORE),
    ).select_related("resource", "booker")
    count = 0
    for booking in due:
        notify(
            [booking.booker],
            _("预约提醒：%(r)s") % {"r": booking.resource.name},
            f"{schedule.local(booking.start):%m-%d %H:%M} {booking.resource.location}",
            url=reverse("m:sharing:mine"),
            kind="sharing.reminder",
        )
        count += 1
    due.update(reminded_at=now)
    return count
