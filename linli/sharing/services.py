"""Every write of resource sharing: resources and hours, bookings with seats, approval,
check-in, cancellation with the waiting list, no-shows, quotas and slot lotteries."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit, notify
from linli.core.locking import lock_rows
from linli.core.scoping import SYSTEM, Actor, authorize
from linli.org.choices import UnitKind
from linli.org.models import OrgUnit
from linli.sharing.choices import DEFAULT_KINDS, HOLDING, Audience, BookingState
from linli.sharing.models import Booking, Closure, Hours, Kind, Resource, Seat, Wait

NO_SHOW_LIMIT = 3
NO_SHOW_DAYS = 90
CHECK_IN_EARLY = datetime.timedelta(minutes=30)


def kinds_ensure():
    for code, name in DEFAULT_KINDS:
        Kind.objects.get_or_create(code=code, defaults={"name": name})


# --- resources ------------------------------------------------------------------------------


@transaction.atomic
def resource_save(*, actor, unit, resource=None, hours=None, **fields):
    """Create or change a resource; ``hours`` is [(weekday, opens, closes)] replacing the week."""
    authorize(actor, "sharing.manage", unit)
    resource = resource or Resource(unit=unit)
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.full_clean()
    resource.save()
    if hours is not None:
        resource.hours.all().delete()
        for weekday, opens, closes in hours:
            row = Hours(resource=resource, weekday=weekday, opens=opens, closes=closes)
            row.full_clean()
            row.save()
    audit.record(actor, "sharing.resource_save", resource)
    return resource


@transaction.atomic
def closure_set(*, actor, resource, day, closed=True, opens=None, closes=None, note=""):
    authorize(actor, "sharing.manage", resource.unit)
    made, _created = Closure.objects.update_or_create(
        resource=resource,
        day=day,
        defaults={"closed": closed, "opens": opens, "closes": closes, "note": note},
    )
    return made


def opening(resource, day):
    """[(open datetime, close datetime)] for ``day``, with closures and special hours applied."""
    tz = timezone.get_current_timezone()
    closure = Closure.objects.filter(resource=resource, day=day).first()
    if closure is not None:
        if closure.closed or not (closure.opens and closure.closes):
            return []
        spans = [(closure.opens, closure.closes)]
    else:
        spans = [(h.opens, h.closes) for h in resource.hours.all() if h.weekday == day.weekday()]
    return [
        (datetime.datetime.combine(day, a, tzinfo=tz), datetime.datetime.combine(day, b, tzinfo=tz))
        for a, b in spans
    ]


def slot_starts(resource, start, end):
    step = datetime.timedelta(minutes=resource.slot_minutes)
    slots, cursor = [], start
    while cursor < end:
        slots.append(cursor)
        cursor += step
    return slots


def availability(resource, day):
    """[(slot start, free places)] for every slot of the day."""
    rows = []
    spans = opening(resource, day)
    step = datetime.timedelta(minutes=resource.slot_minutes)
    taken = {}
    if spans:
        for slot in Seat.objects.filter(
            resource=resource, slot__gte=spans[0][0], slot__lt=spans[-1][1]
        ).values_list("slot", flat=True):
            taken[slot] = taken.get(slot, 0) + 1
    for opens, closes in spans:
        cursor = opens
        while cursor + step <= closes:
            rows.append((cursor, resource.capacity - taken.get(cursor, 0)))
            cursor += step
    return rows


# --- who may book ---------------------------------------------------------------------------


def _street_of(unit):
    step = unit.steplen
    for depth in range(unit.depth, 0, -1):
        candidate = OrgUnit.objects.filter(path=unit.path[: depth * step]).first()
        if candidate and candidate.kind == UnitKind.STREET:
            return candidate
    return None


def booking_community(actor, on_behalf_of=None):
    """The community a booking counts against: the organisation's, else the resident's own,
    else the staff member's community."""
    if on_behalf_of is not None:
        return on_behalf_of.unit
    if actor.person_id:
        from linli.org.models import Person

        person = Person.objects.select_related("household__building__estate__community").get(
            pk=actor.person_id
        )
        if person.household_id:
            return person.household.building.estate.community
    for grant in actor.grants:
        unit = OrgUnit.objects.get(pk=grant.unit_id)
        if unit.kind == UnitKind.COMMUNITY:
            return unit
    raise PermissionDenied


def may_book(resource, community):
    owner = resource.unit
    if community.path.startswith(owner.path):
        return True
    if resource.audience == Audience.STREET:
        street = _street_of(owner)
        return street is not None and community.path.startswith(street.path)
    if resource.audience == Audience.DISTRICT:
        return community.path.startswith(owner.path[: 2 * owner.steplen])
    return False


# --- bookings -------------------------------------------------------------------------------


def _check_times(resource, start, end, now):
    if start >= end:
        raise ValidationError(_("结束时间须晚于开始时间"))
    if start < now + datetime.timedelta(hours=resource.min_notice_hours):
        raise ValidationError(
            _("须至少提前 %(h)s 小时预约") % {"h": resource.min_notice_hours}, code="notice"
        )
    if start > now + datetime.timedelta(days=resource.max_notice_days):
        raise ValidationError(
            _("最多只能提前 %(d)s 天预约") % {"d": resource.max_notice_days}, code="notice"
        )
    if (end - start).total_seconds() / 60 > resource.max_duration_minutes:
        raise ValidationError(
            _("单次最长 %(m)s 分钟") % {"m": resource.max_duration_minutes}, code="duration"
        )
    local = timezone.localtime(start)
    step = resource.slot_minutes * 60
    for opens, closes in opening(resource, local.date()):
        if opens <= start and end <= closes:
            if (start - opens).total_seconds() % step or (end - start).total_seconds() % step:
                raise ValidationError(_("请按时段预约"), code="slot")
            return
    raise ValidationError(_("不在开放时间内"), code="hours")


def _check_person_limits(resource, person, start, end, now):
    if person is None:
        return
    since = now - datetime.timedelta(days=NO_SHOW_DAYS)
    no_shows = Booking.objects.filter(
        person=person, state=BookingState.NO_SHOW, start__gte=since
    ).count()
    if no_shows >= NO_SHOW_LIMIT:
        raise ValidationError(
            _("近 %(d)s 天内有 %(n)s 次预约未到场，暂不能预约")
            % {"d": NO_SHOW_DAYS, "n": no_shows},
            code="no_show",
        )
    mine = Booking.objects.filter(resource=resource, person=person, state__in=HOLDING)
    if mine.filter(start__lt=end, end__gt=start).exists():
        raise ValidationError(_("您在这个时段已有预约"), code="overlap")
    local = timezone.localtime(start).date()
    week_start = local - datetime.timedelta(days=local.weekday())
    tz = timezone.get_current_timezone()
    week = datetime.datetime.combine(week_start, datetime.time(0), tzinfo=tz)
    in_week = mine.filter(start__gte=week, start__lt=week + datetime.timedelta(days=7)).count()
    if in_week >= resource.max_per_week:
        raise ValidationError(
            _("每人每周最多预约 %(n)s 次") % {"n": resource.max_per_week}, code="week"
        )


def _check_quota(resource, community, start, end):
    quota = resource.quotas.filter(community=community).first()
    if quota is None:
        return
    local = timezone.localtime(start)
    tz = timezone.get_current_timezone()
    month = datetime.datetime(local.year, local.month, 1, tzinfo=tz)
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    used = sum(
        b.hours
        for b in Booking.objects.filter(
            resource=resource,
            community=community,
            state__in=HOLDING,
            start__gte=month,
            start__lt=following,
        )
    )
    if used + (end - start).total_seconds() / 3600 > quota.hours_per_month:
        raise ValidationError(
            _("本社区本月在该资源的配额(%(h)s 小时)已用完") % {"h": quota.hours_per_month},
            code="quota",
        )


def _take_seats(resource, booking, places):
    """Take ``places`` free seat numbers in every slot of the booking, or refuse."""
    slots = slot_starts(resource, booking.start, booking.end)
    taken = {}
    for slot, number in Seat.objects.filter(resource=resource, slot__in=slots).values_list(
        "slot", "number"
    ):
        taken.setdefault(slot, set()).add(number)
    rows = []
    for slot in slots:
        free = [n for n in range(resource.capacity) if n not in taken.get(slot, set())]
        if len(free) < places:
            raise ValidationError(_("该时段已满"), code="full")
        rows.extend(
            Seat(resource=resource, slot=slot, number=n, booking=booking) for n in free[:places]
        )
    try:
        with transaction.atomic():
            Seat.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise ValidationError(_("该时段已满"), code="full") from exc


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
    now = now or timezone.now()
    if not resource.active:
        raise ValidationError(_("该资源暂不开放"))
    if (
        on_behalf_of is not None
        and actor is not SYSTEM
        and not actor.can("sharing.book_for_org", on_behalf_of)
        and not actor.has_perm("sharing.manage")
    ):
        raise PermissionDenied
    community = booking_community(actor, on_behalf_of)
    if not may_book(resource, community):
        raise ValidationError(_("该资源不向您所在的社区开放"), code="audience")
    if places < 1 or places > resource.capacity:
        raise ValidationError(_("人数须在 1 到 %(n)s 之间") % {"n": resource.capacity})
    _check_times(resource, start, end, now)
    person = None
    if on_behalf_of is None and actor.person_id:
        from linli.org.models import Person

        person = Person.objects.get(pk=actor.person_id)
    _check_person_limits(resource, person, start, end, now)
    if community.pk != resource.unit_id:
        _check_quota(resource, community, start, end)
    # Serialise bookings of one resource; the seat constraint is the last word regardless.
    lock_rows(Resource, [resource.pk])
    booking = Booking.objects.create(
        resource=resource,
        booker=actor.user if actor.user_id else None,
        person=person,
        on_behalf_of=on_behalf_of,
        community=community,
        start=start,
        end=end,
        places=places,
        purpose=purpose[:200],
        source=source,
        state=BookingState.PENDING if resource.needs_approval else BookingState.APPROVED,
    )
    _take_seats(resource, booking, places)
    if booking.state == BookingState.PENDING:
        notify.notify(
            _owners(resource),
            _("新的预约待审批"),
            f"{resource} {timezone.localtime(start):%m-%d %H:%M}",
            url="/console/sharing/",
            kind="sharing.pending",
        )
    return booking


def _owners(resource):
    from linli.accounts.models import RoleGrant
    from linli.core.roles import ROLES

    grants = RoleGrant.objects.active().filter(unit=resource.unit).select_related("user")
    return [g.user for g in grants if "sharing.approve" in ROLES[g.role].perms]


def _lock(booking):
    return Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)


def _release(booking):
    booking.seats.all().delete()


@transaction.atomic
def booking_decide(*, actor, booking, approve, reason=""):
    authorize(actor, "sharing.approve", booking)
    booking = _lock(booking)
    if booking.state != BookingState.PENDING:
        raise ValidationError(_("该预约已处理"))
    booking.state = BookingState.APPROVED if approve else BookingState.REJECTED
    booking.decided_by = actor.user
    booking.save(update_fields=["state", "decided_by"])
    if not approve:
        _release(booking)
        _serve_waitlist(booking.resource, booking.start, booking.end)
    if booking.booker:
        notify.notify(
            [booking.booker],
            _("预约已确认") if approve else _("预约未通过"),
            f"{booking.resource} {timezone.localtime(booking.start):%m-%d %H:%M} {reason}",
            kind="sharing.decided",
        )
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking, reason="", now=None):
    now = now or timezone.now()
    booking = _lock(booking)
    own = actor.user_id and booking.booker_id == actor.user_id
    if not own and actor is not SYSTEM:
        authorize(actor, "sharing.approve", booking)
    if booking.state not in (BookingState.PENDING, BookingState.APPROVED):
        raise ValidationError(_("该预约不能取消"))
    if own and booking.start <= now:
        raise ValidationError(_("预约已开始，不能取消"))
    booking.state = BookingState.CANCELLED
    booking.purpose = (booking.purpose + f" / {reason}")[:200] if reason else booking.purpose
    booking.save(update_fields=["state", "purpose"])
    _release(booking)
    _serve_waitlist(booking.resource, booking.start, booking.end)
    return booking


@transaction.atomic
def booking_check_in(*, actor, booking, now=None):
    authorize(actor, "sharing.approve", booking)
    now = now or timezone.now()
    booking = _lock(booking)
    if booking.state != BookingState.APPROVED:
        raise ValidationError(_("只有已确认的预约可以签到"))
    if not (booking.start - CHECK_IN_EARLY <= now <= booking.end):
        raise ValidationError(_("不在签到时间内"))
    booking.state = BookingState.CHECKED_IN
    booking.checked_in_at = now
    booking.save(update_fields=["state", "checked_in_at"])
    return booking


def no_shows_mark(*, now=None):
    """Approved bookings whose time has passed without a check-in are no-shows."""
    now = now or timezone.now()
    return Booking.objects.filter(state=BookingState.APPROVED, end__lt=now).update(
        state=BookingState.NO_SHOW
    )


def reminders_due(*, now=None):
    now = now or timezone.now()
    due = Booking.objects.filter(
        state=BookingState.APPROVED,
        reminded=False,
        start__gt=now,
        start__lte=now + datetime.timedelta(hours=24),
    ).select_related("resource", "booker")
    count = 0
    for booking in due:
        if booking.booker:
            notify.notify(
                [booking.booker],
                _("预约提醒"),
                f"{booking.resource} {timezone.localtime(booking.start):%m-%d %H:%M}",
                kind="sharing.reminder",
            )
        Booking.objects.filter(pk=booking.pk).update(reminded=True)
        count += 1
    return count


@transaction.atomic
def wait_join(*, actor, resource, start, end, places=1):
    """Join the waiting list of a full slot (the booking rules are checked when a place frees)."""
    if not actor.user_id:
        raise PermissionDenied
    free = min(
        (
            n
            for s, n in availability(resource, timezone.localtime(start).date())
            if start <= s < end
        ),
        default=0,
    )
    if free >= places:
        raise ValidationError(_("该时段还有空位，请直接预约"))
    return Wait.objects.create(
        resource=resource,
        booker=actor.user,
        person_id=actor.person_id,
        start=start,
        end=end,
        places=places,
    )


def _serve_waitlist(resource, start, end):
    """Offer freed places to the waiting list in order: the first that fits is booked."""
    waits = Wait.objects.filter(
        resource=resource, booking__isnull=True, start__lt=end, end__gt=start
    ).select_related("booker")
    for wait in waits:
        try:
            with transaction.atomic():
                booking = booking_create(
                    actor=Actor(wait.booker),
                    resource=resource,
                    start=wait.start,
                    end=wait.end,
                    places=wait.places,
                    source="waitlist",
                )
        except (ValidationError, PermissionDenied):
            continue
        wait.booking = booking
        wait.save(update_fields=["booking"])
        notify.notify(
            [wait.booker],
            _("候补成功"),
            f"{resource} {timezone.localtime(wait.start):%m-%d %H:%M}",
            kind="sharing.waitlist",
        )


# --- lotteries for scarce slots -------------------------------------------------------------


@transaction.atomic
def slot_draw_create(*, actor, resource, start, end):
    """When demand for a slot will exceed its places, allocate it by the public lottery."""
    from linli.lottery import services as lottery
    from linli.sharing.models import SlotDraw

    authorize(actor, "sharing.manage", resource.unit)
    free = min(
        (
            n
            for s, n in availability(resource, timezone.localtime(start).date())
            if start <= s < end
        ),
        default=0,
    )
    if free < 1:
        raise ValidationError(_("该时段已满"))
    draw = lottery.draw_create(
        actor=actor,
        unit=resource.unit,
        title=f"{resource} {timezone.localtime(start):%Y-%m-%d %H:%M}",
        slots=free,
        source=f"sharing.resource:{resource.pk}",
    )
    return SlotDraw.objects.create(resource=resource, start=start, end=end, draw=draw)


@transaction.atomic
def slot_draw_enter(*, actor, slot_draw):
    from linli.lottery import services as lottery

    if not actor.user_id:
        raise PermissionDenied
    community = booking_community(actor)
    if not may_book(slot_draw.resource, community):
        raise ValidationError(_("该资源不向您所在的社区开放"))
    name = actor.user.get_full_name() or actor.user.username
    return lottery.draw_enter(
        actor=actor,
        draw=slot_draw.draw,
        label=f"{community.name} {name[:1]}**",
        ref=f"user:{actor.user_id}",
    )


@transaction.atomic
def slot_draw_run(*, actor, slot_draw, public_value=""):
    """Close, draw, and book the winners in order (a winner who can no longer book is skipped
    and the next in order takes the place)."""
    from linli.accounts.models import User
    from linli.lottery import services as lottery
    from linli.lottery.models import DrawState

    authorize(actor, "sharing.manage", slot_draw.resource.unit)
    if slot_draw.draw.state == DrawState.OPEN:
        lottery.draw_close(actor=actor, draw=slot_draw.draw, public_value=public_value)
    lottery.draw_run(actor=actor, draw=slot_draw.draw)
    slot_draw.draw.refresh_from_db()
    booked = []
    for ref in slot_draw.draw.result:
        if len(booked) >= slot_draw.draw.slots:
            break
        user = User.objects.filter(pk=int(ref.split(":")[1])).first()
        if user is None:
            continue
        try:
            with transaction.atomic():
                booked.append(
                    booking_create(
                        actor=Actor(user),
                        resource=slot_draw.resource,
                        start=slot_draw.start,
                        end=slot_draw.end,
                        source=f"lottery:{slot_draw.draw.code}",
                        now=slot_draw.start
                        - datetime.timedelta(hours=slot_draw.resource.min_notice_hours),
                    )
                )
        except (ValidationError, PermissionDenied):
            continue
    return booked
