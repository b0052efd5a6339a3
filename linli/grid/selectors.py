"""Reads for grid pages and the API."""

import datetime

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from linli.grid.choices import OPEN_STATES, Level, State
from linli.grid.models import CareRecord, Event, Visit, Worker


def events(actor, *, state=None, query=None, overdue=False, now=None):
    qs = Event.objects.visible_to(actor).select_related("category", "grid", "assignee")
    if state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    elif state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(state__in=OPEN_STATES, due_at__lt=now or timezone.now())
    if query:
        qs = qs.filter(Q(title__contains=query) | Q(number__startswith=query))
    return qs


def my_tasks(actor):
    return (
        Event.objects.visible_to(actor, "grid.handle")
        .filter(assignee_id=actor.user_id, state__in=OPEN_STATES)
        .select_related("category")
        .order_by("due_at")
    )


def kpi(actor, *, unit_path, start, end):
    """结案率, 按期结案率, 网格内解决率, 返工率 and satisfaction over [start, end).

    The denominator is what fell due in the period plus what was closed in it ahead of its
    deadline: an event finished early counts for the period that finished it.
    """
    scoped = Event.objects.visible_to(actor).filter(grid__path__startswith=unit_path)
    due = scoped.filter(
        Q(due_at__gte=start, due_at__lt=end) | Q(closed_at__gte=start, closed_at__lt=end)
    ).exclude(state=State.REJECTED)
    total_due = due.count()
    closed = due.filter(state=State.CLOSED)
    n_closed = closed.count()
    all_closed = scoped.filter(state=State.CLOSED, closed_at__gte=start, closed_at__lt=end)
    n_all = all_closed.count()

    def pct(part, whole):
        return round(part * 100 / whole, 1) if whole else None

    return {
        "due": total_due,
        "closed": n_closed,
        "closure_rate": pct(n_closed, total_due),
        "on_time_rate": pct(closed.filter(closed_on_time=True).count(), total_due),
        "in_grid_rate": pct(all_closed.filter(closed_level=Level.GRID).count(), n_all),
        "rework_rate": pct(all_closed.filter(reworks__gt=0).count(), n_all),
        "satisfaction": all_closed.aggregate(a=Avg("rating"))["a"],
        "open": scoped.filter(state__in=OPEN_STATES).count(),
        "overdue": scoped.filter(state__in=OPEN_STATES, due_at__lt=timezone.now()).count(),
    }


def kpi_by_unit(actor, *, units, start, end):
    return [(unit, kpi(actor, unit_path=unit.path, start=start, end=end)) for unit in units]


def monthly(actor, *, unit_path, months=12):
    since = timezone.now() - datetime.timedelta(days=31 * months)
    rows = (
        Event.objects.visible_to(actor)
        .filter(grid__path__startswith=unit_path, reported_at__gte=since)
        .annotate(month=TruncMonth("reported_at"))
        .values("month", "category__name", "state")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return list(rows)


def recurring_events(actor, *, since, min_count=3, unit=None):
    """Estates where one category of event keeps coming back: rows of (estate, category, n)."""
    qs = Event.objects.visible_to(actor).filter(reported_at__gte=since, building__isnull=False)
    if unit is not None:
        qs = qs.filter(grid__path__startswith=unit.path)
    rows = (
        qs.values("building__estate", "building__estate__name", "category", "category__name")
        .annotate(n=Count("id"))
        .filter(n__gte=min_count)
        .order_by("-n")
    )
    from linli.grid.models import Category
    from linli.org.models import Estate

    estates = Estate.objects.in_bulk([r["building__estate"] for r in rows])
    categories = Category.objects.in_bulk([r["category"] for r in rows])
    return [(estates[r["building__estate"]], categories[r["category"]], r["n"]) for r in rows]


def care_records(actor, *, query=None, overdue=False, today=None):
    qs = (
        CareRecord.objects.visible_to(actor)
        .filter(active=True)
        .select_related("person__household__building", "helper")
        .prefetch_related("groups")
        .order_by("next_visit_due")
    )
    if overdue:
        qs = qs.filter(next_visit_due__lt=today or timezone.localdate())
    if query:
        qs = qs.filter(person__name__contains=query)
    return qs


def visits_due(actor, *, today=None):
    """Records whose visit is due today or overdue, for the helper (or grid) on a phone."""
    today = today or timezone.localdate()
    return care_records(actor).filter(next_visit_due__lte=today)


def visit_rate(actor, *, unit_path, month_start):
    """月探访率: share of active records visited at least once in the month."""
    records = CareRecord.objects.visible_to(actor).filter(
        active=True, person__household__building__grid__path__startswith=unit_path
    )
    total = records.count()
    if not total:
        return None
    next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
    visited = (
        Visit.objects.filter(record__in=records, at__date__gte=month_start, at__date__lt=next_month)
        .values("record")
        .distinct()
        .count()
    )
    return round(visited * 100 / total, 1)


def workers_for_person(person):
    if person is None or person.household is None:
        return []
    return list(Worker.objects.filter(grid=person.household.building.grid))
