"""Every write of the grid module: events through their workflow, deadlines and escalation,
the special-care register, visits and care alerts."""

import datetime
import json
from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit, notify
from linli.core.scoping import SYSTEM, authorize
from linli.grid import calendar as cal
from linli.grid.choices import (
    DEFAULT_CARE_GROUPS,
    DEFAULT_CATEGORIES,
    DEFAULT_LIMITS,
    OPEN_STATES,
    TIER_DAYS,
    Action,
    Level,
    Source,
    State,
    Urgency,
    VisitMethod,
)
from linli.grid.models import (
    Boundary,
    CareAlert,
    CareGroup,
    CareRecord,
    Category,
    Event,
    Extension,
    Holiday,
    Step,
    TimeLimit,
    Visit,
    Worker,
)
from linli.org.choices import UnitKind
from linli.org.models import OrgUnit

MAX_EXTENSION_DAYS = 15


# --- defaults (idempotent; also created by migrations) --------------------------------------


def defaults_ensure():
    for n, (code, name) in enumerate(DEFAULT_CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": n})
    for urgency, amount, unit in DEFAULT_LIMITS:
        TimeLimit.objects.get_or_create(
            urgency=urgency, category=None, defaults={"amount": amount, "unit": unit}
        )
    for code, name in DEFAULT_CARE_GROUPS:
        CareGroup.objects.get_or_create(code=code, defaults={"name": name})
    for day, kind, name in cal.default_table():
        Holiday.objects.get_or_create(day=day, defaults={"kind": kind, "name": name})


@transaction.atomic
def holiday_set(*, actor, day, kind, name):
    if not actor.has_perm("grid.manage_calendar"):
        raise PermissionDenied
    made, _created = Holiday.objects.update_or_create(
        day=day, defaults={"kind": kind, "name": name}
    )
    audit.record(actor, "grid.holiday_set", made, kind=kind)
    return made


@transaction.atomic
def holiday_delete(*, actor, day):
    if not actor.has_perm("grid.manage_calendar"):
        raise PermissionDenied
    Holiday.objects.filter(day=day).delete()
    audit.record(actor, "grid.holiday_delete", None, day=str(day))


def limit_for(urgency, category):
    found = (
        TimeLimit.objects.filter(urgency=urgency, category=category).first()
        or TimeLimit.objects.filter(urgency=urgency, category=None).first()
    )
    if found is None:
        defaults_ensure()
        found = TimeLimit.objects.get(urgency=urgency, category=None)
    return found


def deadline(start, urgency, category, calendar=None):
    limit = limit_for(urgency, category)
    return (calendar or cal.Calendar.load()).deadline(start, limit.amount, limit.unit)


# --- routing --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _shapes(stamp):
    """Prepared polygons, rebuilt only when the boundaries change (``stamp`` is their text)."""
    from shapely.geometry import shape
    from shapely.prepared import prep

    return [(grid_id, prep(shape(json.loads(text)))) for grid_id, text in stamp]


def _boundaries():
    rows = Boundary.objects.order_by("grid_id").values_list("grid_id", "geojson")
    return _shapes(tuple((grid_id, json.dumps(geo, sort_keys=True)) for grid_id, geo in rows))


def grid_at(lat, lng):
    """The grid whose boundary contains the point, or None."""
    from shapely.geometry import Point

    point = Point(float(lng), float(lat))
    for grid_id, geometry in _boundaries():
        if geometry.contains(point):
            return OrgUnit.objects.get(pk=grid_id)
    return None


# --- events ---------------------------------------------------------------------------------


def _step(event, actor, action, note="", photo=None, at=None):
    user = actor.user if actor is not None and getattr(actor, "user", None) else None
    step = Step(
        event=event,
        action=action,
        actor=user,
        actor_name=(user.get_full_name() or user.get_username()) if user else _("系统"),
        at=at or timezone.now(),
        note=note[:500],
    )
    if photo:
        step.photo = photo
    step.save()
    return step


def _number(now):
    prefix = timezone.localtime(now).strftime("%Y%m%d")
    count = Event.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def _resolve_grid(*, lat, lng, building, household):
    if lat is not None and lng is not None:
        grid = grid_at(lat, lng)
        if grid is not None:
            return grid
        if building is None and household is None:
            raise ValidationError(_("该位置不在任何网格内"), code="outside")
    if household is not None:
        return household.building.grid
    if building is not None:
        return building.grid
    raise ValidationError(_("请选择楼栋或提供位置"), code="location")


def _may_report_in(actor, grid):
    if actor is SYSTEM or actor.is_superuser:
        return Source.SYSTEM
    if actor.has_perm("grid.report") and actor.can("grid.report", grid):
        return Source.GRID if not actor.has_perm("grid.dispatch") else Source.STAFF
    # Residents report in their own community.
    if actor.person_id:
        from linli.org.models import Person

        person = Person.objects.select_related("household__building__grid").get(pk=actor.person_id)
        if (
            person.household
            and grid.path[: -grid.steplen] == (person.household.building.grid.path[: -grid.steplen])
        ):
            return Source.RESIDENT
    raise PermissionDenied


@transaction.atomic
def event_report(
    *,
    actor,
    title,
    description,
    category,
    urgency=Urgency.GENERAL,
    building=None,
    household=None,
    lat=None,
    lng=None,
    address="",
    contact="",
    photo=None,
    source=None,
    external_ref=None,
    now=None,
):
    now = now or timezone.now()
    if len(description) > 4000:
        raise ValidationError(_("描述不能超过 4000 字"), code="too_long")
    grid = _resolve_grid(lat=lat, lng=lng, building=building, household=household)
    detected = _may_report_in(actor, grid)
    calendar = cal.Calendar.load()
    event = Event(
        number=_number(now),
        title=title[:100],
        description=description,
        category=category,
        urgency=urgency,
        source=source or detected,
        grid=grid,
        building=building or (household.building if household else None),
        household=household,
        address=address,
        lat=lat,
        lng=lng,
        reporter=actor.user if actor.user_id else None,
        reporter_person_id=actor.person_id if detected == Source.RESIDENT else None,
        contact=contact,
        reported_at=now,
        accept_due_at=calendar.add_working_hours(now, 2),
        external_ref=external_ref,
    )
    if photo:
        event.photo = photo
    event.full_clean(exclude=["photo"])
    event.save()
    _step(event, actor, Action.REPORT, description[:200], photo, at=now)
    notify.notify(
        _grid_staff(grid, "grid.dispatch"),
        _("新上报事件 %(n)s") % {"n": event.number},
        event.title,
        url=f"/console/grid/events/{event.pk}/",
        kind="grid.reported",
    )
    return event


def _grid_staff(unit, perm):
    """Users holding ``perm`` through a grant on ``unit`` or above it."""
    from linli.accounts.models import RoleGrant
    from linli.core.roles import ROLES

    step = unit.steplen
    paths = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
    grants = RoleGrant.objects.active().filter(unit__path__in=paths).select_related("user")
    return [g.user for g in grants if perm in ROLES[g.role].perms and g.user.is_active]


def _lock(event):
    return Event.objects.select_for_update().select_related("category", "grid").get(pk=event.pk)


def _expect(event, *states):
    if event.state not in states:
        raise ValidationError(
            _("事件当前为“%(s)s”，不能进行此操作") % {"s": event.get_state_display()}
        )


@transaction.atomic
def event_accept(*, actor, event, urgency=None, category=None, now=None):
    authorize(actor, "grid.dispatch", event)
    event = _lock(event)
    _expect(event, State.REPORTED)
    now = now or timezone.now()
    event.urgency = urgency or event.urgency
    event.category = category or event.category
    event.state = State.ACCEPTED
    event.due_at = deadline(now, event.urgency, event.category)
    event.save(update_fields=["urgency", "category", "state", "due_at"])
    _step(event, actor, Action.ACCEPT, f"{event.get_urgency_display()}", at=now)
    return event


@transaction.atomic
def event_reject(*, actor, event, reason, now=None):
    authorize(actor, "grid.dispatch", event)
    event = _lock(event)
    _expect(event, State.REPORTED)
    if not reason.strip():
        raise ValidationError(_("请填写不予立案的理由"))
    event.state = State.REJECTED
    event.reject_reason = reason[:200]
    event.closed_at = now or timezone.now()
    event.save(update_fields=["state", "reject_reason", "closed_at"])
    _step(event, actor, Action.REJECT, reason, at=event.closed_at)
    return event


@transaction.atomic
def event_dispatch(*, actor, event, assignee, now=None):
    authorize(actor, "grid.dispatch", event)
    event = _lock(event)
    _expect(event, State.ACCEPTED, State.DISPATCHED)
    from linli.core.scoping import Actor

    if not Actor(assignee).can("grid.handle", event):
        raise ValidationError(_("该人员不负责这个网格"))
    event.assignee = assignee
    event.state = State.DISPATCHED
    event.save(update_fields=["assignee", "state"])
    _step(event, actor, Action.DISPATCH, assignee.get_full_name() or assignee.username, at=now)
    notify.notify(
        [assignee],
        _("派遣给您的事件 %(n)s") % {"n": event.number},
        _("%(t)s，请于 %(d)s 前办结")
        % {"t": event.title, "d": f"{timezone.localtime(event.due_at):%m-%d %H:%M}"},
        url=f"/m/grid/events/{event.pk}/",
        kind="grid.dispatched",
    )
    return event


def _handler(actor, event):
    authorize(actor, "grid.handle", event)
    if (
        event.assignee_id
        and event.assignee_id != actor.user_id
        and not actor.has_perm("grid.dispatch")
    ):
        raise PermissionDenied


@transaction.atomic
def event_handle(*, actor, event, note, photo=None, now=None):
    event = _lock(event)
    _handler(actor, event)
    _expect(event, State.DISPATCHED, State.HANDLING)
    if not note.strip():
        raise ValidationError(_("请填写处置情况"))
    event.state = State.HANDLING
    event.save(update_fields=["state"])
    _step(event, actor, Action.HANDLE, note, photo, at=now)
    return event


@transaction.atomic
def event_feedback(*, actor, event, note, photo=None, now=None):
    event = _lock(event)
    _handler(actor, event)
    _expect(event, State.DISPATCHED, State.HANDLING)
    now = now or timezone.now()
    event.state = State.FEEDBACK
    event.handled_by = actor.user
    event.check_due_at = cal.Calendar.load().add_working_days(now, 1)
    event.save(update_fields=["state", "handled_by", "check_due_at"])
    _step(event, actor, Action.FEEDBACK, note, photo, at=now)
    return event


def _close(event, actor, now):
    event.state = State.CLOSED
    event.closed_at = now
    event.closed_on_time = event.due_at is None or now <= event.due_at
    event.closed_level = event.level
    event.save(update_fields=["state", "closed_at", "closed_on_time", "closed_level"])
    _step(event, actor, Action.CLOSE, at=now)


@transaction.atomic
def event_check(*, actor, event, passed, note="", now=None):
    """核查 by someone other than the handler: pass closes it, fail sends it back (返工)."""
    authorize(actor, "grid.check", event)
    event = _lock(event)
    _expect(event, State.FEEDBACK)
    if event.handled_by_id == actor.user_id:
        raise ValidationError(_("核查须由处置人以外的人进行"))
    now = now or timezone.now()
    if passed:
        _step(event, actor, Action.CHECK_PASS, note, at=now)
        _close(event, actor, now)
    else:
        if not note.strip():
            raise ValidationError(_("请说明需要返工的原因"))
        event.state = State.HANDLING
        event.reworks += 1
        event.save(update_fields=["state", "reworks"])
        _step(event, actor, Action.CHECK_FAIL, note, at=now)
    return event


@transaction.atomic
def event_self_close(*, actor, event, note, photo, now=None):
    """A grid worker reports and solves on the spot; the photo is the evidence."""
    authorize(actor, "grid.handle", event)
    event = _lock(event)
    _expect(event, State.REPORTED)
    if event.reporter_id != actor.user_id:
        raise ValidationError(_("只能对本人现场发现的事件直接结案"))
    if not photo:
        raise ValidationError(_("现场处置结案须上传照片"))
    now = now or timezone.now()
    event.state = State.ACCEPTED
    event.due_at = deadline(event.reported_at, event.urgency, event.category)
    event.handled_by = actor.user
    event.save(update_fields=["state", "due_at", "handled_by"])
    _step(event, actor, Action.SELF_CLOSE, note, photo, at=now)
    _close(event, actor, now)
    return event


@transaction.atomic
def event_rate(*, actor, event, rating, note="", now=None):
    event = _lock(event)
    if event.reporter_id != actor.user_id:
        authorize(actor, "grid.check", event)
    _expect(event, State.CLOSED)
    if event.rating is not None:
        raise ValidationError(_("已评价过"))
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError(_("请选择 1 到 5 星"))
    event.rating = rating
    event.rating_note = note[:200]
    event.save(update_fields=["rating", "rating_note"])
    _step(event, actor, Action.RATE, f"{rating}★ {note}", at=now)
    return event


@transaction.atomic
def extension_request(*, actor, event, days, reason):
    event = _lock(event)
    _handler(actor, event)
    _expect(event, State.ACCEPTED, State.DISPATCHED, State.HANDLING)
    if days < 1 or event.extension_days + days > MAX_EXTENSION_DAYS:
        raise ValidationError(_("延期累计不能超过 15 天"))
    if not reason.strip():
        raise ValidationError(_("请填写延期理由"))
    made = Extension.objects.create(event=event, days=days, reason=reason, requested_by=actor.user)
    _step(event, actor, Action.EXTEND_ASK, f"+{days} {reason}")
    return made


@transaction.atomic
def extension_decide(*, actor, extension, approve):
    event = _lock(extension.event)
    authorize(actor, "grid.extend", event)
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    if extension.approved is not None:
        raise ValidationError(_("该申请已处理"))
    if extension.requested_by_id == actor.user_id:
        raise ValidationError(_("不能审批自己的延期申请"))
    extension.approved = approve
    extension.decided_by = actor.user
    extension.save(update_fields=["approved", "decided_by"])
    if approve:
        if event.extension_days + extension.days > MAX_EXTENSION_DAYS:
            raise ValidationError(_("延期累计不能超过 15 天"))
        event.extension_days += extension.days
        event.due_at = (event.due_at or timezone.now()) + datetime.timedelta(days=extension.days)
        event.warned = False
        event.save(update_fields=["extension_days", "due_at", "warned"])
    _step(event, actor, Action.EXTEND_OK if approve else Action.EXTEND_NO, f"{extension.days}")
    return extension


NEXT_LEVEL = {Level.GRID: Level.COMMUNITY, Level.COMMUNITY: Level.STREET}


def _level_unit(event, level):
    grid = event.grid
    if level == Level.COMMUNITY:
        return OrgUnit.objects.get(path=grid.path[: -grid.steplen])
    if level == Level.STREET:
        return OrgUnit.objects.get(path=grid.path[: -2 * grid.steplen])
    return grid


def events_sweep(*, now=None):
    """Flag events due soon (once) and escalate overdue ones one level, with a fresh time limit
    at the new level: grid → community → street."""
    now = now or timezone.now()
    warned = escalated = 0
    soon = Event.objects.filter(
        state__in=OPEN_STATES,
        warned=False,
        due_at__gt=now,
        due_at__lte=now + datetime.timedelta(hours=4),
    )
    for event in soon:
        with transaction.atomic():
            Event.objects.filter(pk=event.pk).update(warned=True)
            _step(event, SYSTEM, Action.DUE_SOON, at=now)
            users = [event.assignee] if event.assignee else _grid_staff(event.grid, "grid.handle")
            notify.notify(
                users,
                _("事件即将到期 %(n)s") % {"n": event.number},
                event.title,
                url=f"/m/grid/events/{event.pk}/",
                kind="grid.due_soon",
            )
            warned += 1
    overdue = Event.objects.filter(
        state__in=OPEN_STATES, due_at__lt=now, level__in=list(NEXT_LEVEL)
    ).select_related("grid", "category")
    for event in overdue:
        with transaction.atomic():
            event = _lock(event)
            if event.due_at is None or event.due_at >= now or event.level not in NEXT_LEVEL:
                continue
            event.level = NEXT_LEVEL[event.level]
            event.due_at = deadline(now, event.urgency, event.category)
            event.warned = False
            event.save(update_fields=["level", "due_at", "warned"])
            unit = _level_unit(event, event.level)
            _step(event, SYSTEM, Action.ESCALATE, unit.name, at=now)
            notify.notify(
                _grid_staff(unit, "grid.dispatch"),
                _("超期事件已升级到%(u)s：%(n)s") % {"u": unit.name, "n": event.number},
                event.title,
                url=f"/console/grid/events/{event.pk}/",
                kind="grid.escalated",
            )
            escalated += 1
    return {"warned": warned, "escalated": escalated}


@transaction.atomic
def event_open_from_system(
    *,
    actor,
    title,
    description,
    category_code,
    urgency,
    building=None,
    household=None,
    unit=None,
    external_ref="",
    now=None,
):
    """Events raised by other modules (device alarms, care alerts), idempotent by reference."""
    if external_ref:
        existing = Event.objects.filter(external_ref=external_ref).first()
        if existing is not None:
            return existing
    category = Category.objects.filter(code=category_code).first() or Category.objects.get(
        code="other"
    )
    if building is None and household is None:
        if unit is None or unit.kind != UnitKind.GRID:
            raise ValidationError(_("请指定楼栋、房屋或网格"))
        building = unit.buildings.first()
        if building is None:
            raise ValidationError(_("该网格没有楼栋"))
    try:
        with transaction.atomic():
            return event_report(
                actor=SYSTEM,
                title=title,
                description=description,
                category=category,
                urgency=urgency,
                building=building,
                household=household,
                source=Source.SYSTEM,
                external_ref=external_ref or None,
                now=now,
            )
    except IntegrityError:
        return Event.objects.get(external_ref=external_ref)


# --- special care ---------------------------------------------------------------------------


def _next_due(record, last):
    return (timezone.localtime(last).date() if last else timezone.localdate()) + datetime.timedelta(
        days=TIER_DAYS[record.tier]
    )


@transaction.atomic
def care_register(
    *, actor, person, groups, tier, helper=None, contact_name="", contact_phone="", note=""
):
    authorize(actor, "grid.manage_care", person)
    record, _created = CareRecord.objects.get_or_create(person=person)
    record.tier = tier
    record.helper = helper
    record.contact_name = contact_name
    record.contact_phone = contact_phone
    record.note = note
    record.active = True
    record.next_visit_due = (
        _next_due(record, record.last_visit_at) if record.last_visit_at else (timezone.localdate())
    )
    record.full_clean()
    record.save()
    record.groups.set(groups)
    audit.record(actor, "grid.care_register", record, tier=tier)
    return record


@transaction.atomic
def visit_record(
    *, actor, record, method, note="", needs="", at=None, device_ref="", major_change=False
):
    authorize(actor, "grid.visit", record)
    at = at or timezone.now()
    visit = Visit.objects.create(
        record=record,
        helper=actor.user if actor.user_id else None,
        at=at,
        method=method,
        note=note[:300],
        needs=needs[:300],
        device_ref=device_ref,
    )
    record = CareRecord.objects.select_for_update().get(pk=record.pk)
    if record.last_visit_at is None or at > record.last_visit_at:
        record.last_visit_at = at
        # A major change (illness, bereavement) means a visit within a day, whatever the tier.
        record.next_visit_due = (
            timezone.localtime(at).date() + datetime.timedelta(days=1)
            if major_change
            else _next_due(record, at)
        )
        record.save(update_fields=["last_visit_at", "next_visit_due"])
    return visit


@transaction.atomic
def visit_need_to_event(*, actor, visit, category, urgency=Urgency.GENERAL):
    """One action: a need found on a visit becomes a grid event for the elder's home."""
    authorize(actor, "grid.visit", visit.record)
    if visit.event_id:
        return visit.event
    if not visit.needs:
        raise ValidationError(_("这次探访没有登记需求"))
    person = visit.record.person
    event = event_report(
        actor=actor,
        title=_("探访发现：%(n)s") % {"n": visit.needs[:40]},
        description=visit.needs,
        category=category,
        urgency=urgency,
        household=person.household,
        source=Source.CARE,
    )
    visit.event = event
    visit.save(update_fields=["event"])
    return event


@transaction.atomic
def care_alert_open(*, actor, person, title, description, external_ref, urgency="urgent"):
    """A device or another module reports trouble with a person on the register: a care alert
    and a grid event for their helper (once per reference)."""
    record = CareRecord.objects.filter(person=person, active=True).first()
    if record is None:
        return None
    alert = CareAlert.objects.filter(external_ref=external_ref).first()
    if alert is not None:
        return alert
    event = event_open_from_system(
        actor=actor,
        title=title,
        description=description,
        category_code="safety",
        urgency=urgency,
        household=person.household,
        external_ref=f"care:{external_ref}",
    )
    alert = CareAlert.objects.create(
        record=record,
        title=title[:100],
        description=description[:500],
        external_ref=external_ref,
        event=event,
    )
    if record.helper_id and event.state == State.REPORTED:
        notify.notify(
            [record.helper],
            _("关爱提醒：%(p)s") % {"p": person.name},
            title,
            url=f"/console/grid/care/{record.pk}/",
            kind="grid.care_alert",
            channels=(notify.INBOX, notify.SMS),
        )
    return alert


@transaction.atomic
def care_device_check(*, actor, person, device_ref, at):
    """A verified smart-device reading counts as a remote visit."""
    record = CareRecord.objects.filter(person=person, active=True).first()
    if record is None:
        return None
    return visit_record(
        actor=SYSTEM,
        record=record,
        method=VisitMethod.DEVICE,
        note=_("智能设备核验"),
        at=at,
        device_ref=device_ref,
    )


@transaction.atomic
def worker_save(*, actor, user, grid, name, phone, party_member=False, **pledges):
    authorize(actor, "grid.dispatch", grid)
    worker, _created = Worker.objects.update_or_create(
        user=user,
        defaults={
            "grid": grid,
            "name": name,
            "phone": phone,
            "party_member": party_member,
            **pledges,
        },
    )
    return worker
