"""Console pages for staff, phone pages for grid workers and residents."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.models import User
from linli.core.pages import paginate, wants_export, xlsx_response
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.grid import bridges, selectors, services
from linli.grid.choices import State, Urgency
from linli.grid.forms import CareForm, ReportForm, StaffReportForm, VisitForm
from linli.grid.models import Branch, CareRecord, Category, Event, Extension, Holiday, Visit
from linli.org.choices import UnitKind
from linli.org.models import Building, OrgUnit, Person


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _run(request, fn, ok, **kwargs):
    try:
        result = fn(actor=request.actor, **kwargs)
    except ValidationError as exc:
        _errors(request, exc)
        return None
    except PermissionDenied:
        messages.error(request, _("您不能进行此操作"))
        return None
    messages.success(request, ok)
    return result


def _handlers(event):
    """People who may be dispatched: anyone holding grid.handle on the event's grid."""
    users = services._grid_staff(event.grid, "grid.handle")
    return sorted({u.pk: u for u in users}.values(), key=lambda u: u.username)


def _focus_unit(request):
    actor = request.actor
    path = actor.focus_path or (actor.unit_paths("grid.view_event") or [""])[0]
    return OrgUnit.objects.filter(path=path).first()


# --- console --------------------------------------------------------------------------------


@staff_required
def events(request):
    require_perm(request.actor, "grid.view_event")
    state = request.GET.get("state") or "open"
    qs = selectors.events(
        request.actor,
        state=None if state == "all" else state,
        query=request.GET.get("q") or None,
        overdue=request.GET.get("overdue") == "1",
    )
    if wants_export(request):
        headers = [
            _("编号"),
            _("标题"),
            _("类别"),
            _("紧急程度"),
            _("网格"),
            _("状态"),
            _("上报"),
            _("时限"),
            _("结案"),
        ]
        rows = (
            (
                e.number,
                e.title,
                e.category.name,
                e.get_urgency_display(),
                e.grid.name,
                e.get_state_display(),
                timezone.localtime(e.reported_at).replace(tzinfo=None),
                timezone.localtime(e.due_at).replace(tzinfo=None) if e.due_at else None,
                timezone.localtime(e.closed_at).replace(tzinfo=None) if e.closed_at else None,
            )
            for e in qs
        )
        return xlsx_response("events", headers, rows)
    return render(
        request,
        "grid/events.html",
        {
            "page": paginate(request, qs),
            "state": state,
            "states": State.choices,
            "now": timezone.now(),
        },
    )


@staff_required
def event_new(request):
    require_perm(request.actor, "grid.report")
    buildings = Building.objects.visible_to(request.actor).select_related("estate")
    form = StaffReportForm(request.POST or None, request.FILES or None, buildings=buildings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = _run(
            request,
            services.event_report,
            _("已登记"),
            title=data["title"],
            description=data["description"],
            category=data["category"],
            urgency=data["urgency"],
            building=data["building"],
            address=data["address"],
            photo=data["photo"],
            lat=data["lat"],
            lng=data["lng"],
        )
        if event:
            return redirect("console:grid:event_detail", pk=event.pk)
    return render(request, "grid/event_new.html", {"form": form})


def _event_context(request, event):
    actor = request.actor
    return {
        "e": event,
        "steps": event.steps.select_related("actor"),
        "extensions": event.extensions.filter(approved__isnull=True),
        "can_dispatch": actor.can("grid.dispatch", event),
        "can_handle": actor.can("grid.handle", event)
        and (event.assignee_id in (None, actor.user_id) or actor.has_perm("grid.dispatch")),
        "can_check": actor.can("grid.check", event) and event.handled_by_id != actor.user_id,
        "can_extend": actor.can("grid.extend", event),
        "handlers": _handlers(event) if event.state in (State.ACCEPTED, State.DISPATCHED) else [],
        "urgencies": Urgency.choices,
        "categories": Category.objects.filter(active=True),
        "is_reporter": event.reporter_id == actor.user_id,
        "now": timezone.now(),
        # Repeated or contentious matters go to the neighbourhood council where it exists.
        "council_url": bridges.council_topic_url(actor, event),
    }


@staff_required
def event_detail(request, pk):
    event = get_visible_or_404(
        Event.objects.select_related("category", "grid", "building", "assignee"),
        request.actor,
        pk=pk,
    )
    return render(request, "grid/event_detail.html", _event_context(request, event))


@login_required
@require_POST
def event_action(request, pk, action):
    event = get_visible_or_404(Event, request.actor, pk=pk)
    post, files = request.POST, request.FILES
    note = post.get("note", "")
    if action == "accept":
        category = Category.objects.filter(pk=post.get("category")).first()
        _run(
            request,
            services.event_accept,
            _("已立案"),
            event=event,
            urgency=post.get("urgency") or None,
            category=category,
        )
    elif action == "reject":
        _run(request, services.event_reject, _("已不予立案"), event=event, reason=note)
    elif action == "dispatch":
        assignee = User.objects.filter(pk=post.get("assignee")).first()
        if assignee is None:
            messages.error(request, _("请选择处置人"))
        else:
            _run(request, services.event_dispatch, _("已派遣"), event=event, assignee=assignee)
    elif action == "handle":
        _run(
            request,
            services.event_handle,
            _("已记录处置"),
            event=event,
            note=note,
            photo=files.get("photo"),
        )
    elif action == "feedback":
        _run(
            request,
            services.event_feedback,
            _("已反馈，等待核查"),
            event=event,
            note=note,
            photo=files.get("photo"),
        )
    elif action in ("pass", "fail"):
        _run(
            request,
            services.event_check,
            _("已核查"),
            event=event,
            passed=action == "pass",
            note=note,
        )
    elif action == "self_close":
        _run(
            request,
            services.event_self_close,
            _("已现场处置结案"),
            event=event,
            note=note,
            photo=files.get("photo"),
        )
    elif action == "rate":
        rating = int(post["rating"]) if post.get("rating", "").isdigit() else 0
        _run(request, services.event_rate, _("感谢您的评价"), event=event, rating=rating, note=note)
    elif action == "extend":
        days = int(post["days"]) if post.get("days", "").isdigit() else 0
        _run(
            request,
            services.extension_request,
            _("已申请延期"),
            event=event,
            days=days,
            reason=note,
        )
    elif action in ("extend_ok", "extend_no"):
        extension = Extension.objects.filter(pk=post.get("extension"), event=event).first()
        if extension:
            _run(
                request,
                services.extension_decide,
                _("已处理"),
                extension=extension,
                approve=action == "extend_ok",
            )
    target = post.get("next") or ""
    if target.startswith("/m/") or target.startswith("/console/"):
        return redirect(target)
    return redirect("console:grid:event_detail", pk=pk)


@staff_required
def kpi(request):
    require_perm(request.actor, "grid.view_event")
    today = timezone.localdate()
    start = parse_date(request.GET.get("start") or "") or today.replace(day=1) - datetime.timedelta(
        days=90
    )
    end = parse_date(request.GET.get("end") or "") or today
    tz = timezone.get_current_timezone()
    start_dt = datetime.datetime.combine(start, datetime.time(0), tzinfo=tz)
    end_dt = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time(0), tzinfo=tz
    )
    unit = _focus_unit(request) or OrgUnit.objects.filter(depth=1).first()
    children = (
        OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")
        if unit
        else []
    )
    rows = selectors.monthly(request.actor, unit_path=unit.path if unit else "")
    months = sorted({r["month"] for r in rows})
    cats = sorted({r["category__name"] for r in rows})
    table = {(r["month"], r["category__name"]): 0 for r in rows}
    for r in rows:
        table[(r["month"], r["category__name"])] += r["n"]
    peak = max([sum(table.get((m, c), 0) for c in cats) for m in months] or [1])
    colours = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#718096"]
    bars = []
    for i, month in enumerate(months):
        y = 180
        for j, cat in enumerate(cats):
            n = table.get((month, cat), 0)
            h = n * 170 // peak
            y -= h
            bars.append(
                {
                    "x": i * 50 + 10,
                    "y": y,
                    "h": h,
                    "colour": colours[j % len(colours)],
                    "label": f"{month:%Y-%m} {cat} {n}",
                }
            )
    return render(
        request,
        "grid/kpi.html",
        {
            "unit": unit,
            "start": start,
            "end": end,
            "total": selectors.kpi(request.actor, unit_path=unit.path, start=start_dt, end=end_dt)
            if unit
            else None,
            "by_unit": selectors.kpi_by_unit(
                request.actor, units=children, start=start_dt, end=end_dt
            ),
            "bars": bars,
            "months": [(i * 50 + 30, m) for i, m in enumerate(months)],
            "legend": [(c, colours[j % len(colours)]) for j, c in enumerate(cats)],
            "chart_width": max(len(months) * 50 + 20, 200),
            "visit_rate": selectors.visit_rate(
                request.actor, unit_path=unit.path, month_start=today.replace(day=1)
            )
            if unit
            else None,
        },
    )


@staff_required
def care(request):
    require_perm(request.actor, "grid.view_carerecord")
    qs = selectors.care_records(
        request.actor,
        query=request.GET.get("q") or None,
        overdue=request.GET.get("overdue") == "1",
    )
    if wants_export(request):
        headers = [
            _("姓名"),
            _("住址"),
            _("类别"),
            _("风险等级"),
            _("帮扶人"),
            _("上次探访"),
            _("下次探访"),
        ]
        rows = (
            (
                r.person.name,
                str(r.person.household),
                "、".join(g.name for g in r.groups.all()),
                r.get_tier_display(),
                str(r.helper or ""),
                timezone.localtime(r.last_visit_at).replace(tzinfo=None)
                if r.last_visit_at
                else None,
                r.next_visit_due,
            )
            for r in qs
        )
        return xlsx_response("care", headers, rows)
    return render(
        request,
        "grid/care.html",
        {"page": paginate(request, qs), "today": timezone.localdate()},
    )


def _helpers(record_or_person):
    person = getattr(record_or_person, "person", record_or_person)
    grid = person.household.building.grid
    return User.objects.filter(pk__in=[u.pk for u in services._grid_staff(grid, "grid.visit")])


@staff_required
def care_detail(request, pk):
    record = get_visible_or_404(
        CareRecord.objects.select_related("person__household__building", "helper"),
        request.actor,
        pk=pk,
    )
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _run(
            request,
            services.visit_record,
            _("已登记探访"),
            record=record,
            method=data["method"],
            note=data["note"],
            needs=data["needs"],
            major_change=data["major_change"],
        )
        return redirect("console:grid:care_detail", pk=pk)
    return render(
        request,
        "grid/care_detail.html",
        {
            "r": record,
            "visits": record.visits.select_related("helper", "event")[:50],
            "alerts": record.alerts.select_related("event")[:20],
            "form": form,
            "categories": Category.objects.filter(active=True),
            "today": timezone.localdate(),
        },
    )


@staff_required
def care_register(request):
    require_perm(request.actor, "grid.manage_care")
    person = None
    if request.GET.get("person") or request.POST.get("person"):
        person = get_visible_or_404(
            Person,
            request.actor,
            "grid.manage_care",
            pk=request.GET.get("person") or request.POST.get("person"),
        )
    query = (request.GET.get("q") or "").strip()
    people = (
        Person.objects.visible_to(request.actor, "grid.manage_care").filter(name__contains=query)[
            :20
        ]
        if query
        else []
    )
    form = CareForm(
        request.POST or None, helpers=_helpers(person) if person else User.objects.none()
    )
    if request.method == "POST" and person and form.is_valid():
        record = _run(
            request, services.care_register, _("已登记"), person=person, **form.cleaned_data
        )
        if record:
            return redirect("console:grid:care_detail", pk=record.pk)
    return render(
        request,
        "grid/care_register.html",
        {"person": person, "people": people, "form": form, "query": query},
    )


@login_required
@require_POST
def visit_to_event(request, pk):
    visit = get_visible_or_404(Visit, request.actor, pk=pk)
    category = Category.objects.filter(pk=request.POST.get("category")).first()
    if category is None:
        messages.error(request, _("请选择类别"))
    else:
        event = _run(
            request,
            services.visit_need_to_event,
            _("已转为网格事件"),
            visit=visit,
            category=category,
        )
        if event and request.actor.is_staff_user:
            return redirect("console:grid:event_detail", pk=event.pk)
    return redirect("console:grid:care_detail", pk=visit.record_id)


@staff_required
def branches(request):
    require_perm(request.actor, "grid.view_event")
    grids = OrgUnit.objects.visible_to(request.actor).filter(kind=UnitKind.GRID).order_by("path")
    return render(
        request,
        "grid/branches.html",
        {"rows": [(g, Branch.objects.filter(grid=g).first(), g.workers.all()) for g in grids[:60]]},
    )


@staff_required
def holidays(request):
    require_perm(request.actor, "grid.manage_calendar")
    if request.method == "POST":
        day = parse_date(request.POST.get("day") or "")
        if day is None:
            messages.error(request, _("请填写日期"))
        elif request.POST.get("delete"):
            _run(request, services.holiday_delete, _("已删除"), day=day)
        else:
            _run(
                request,
                services.holiday_set,
                _("已保存"),
                day=day,
                kind=request.POST.get("kind", "holiday"),
                name=request.POST.get("name", ""),
            )
        return redirect("console:grid:holidays")
    return render(request, "grid/holidays.html", {"days": Holiday.objects.all()})


# --- phone ----------------------------------------------------------------------------------


def _me(request):
    if not request.actor.person_id:
        return None
    return Person.objects.select_related(
        "household__building__grid", "household__building__estate"
    ).get(pk=request.actor.person_id)


@login_required
def report(request):
    person = _me(request)
    actor = request.actor
    if person and person.household:
        buildings = Building.objects.filter(estate=person.household.building.estate)
    else:
        buildings = Building.objects.visible_to(actor)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        buildings=buildings,
        initial={"building": person.household.building_id if person and person.household else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        event = _run(
            request,
            services.event_report,
            _("已提交，网格员会尽快处理"),
            title=data["title"],
            description=data["description"],
            category=data["category"],
            building=data["building"],
            address=data["address"],
            photo=data["photo"],
            lat=data["lat"],
            lng=data["lng"],
        )
        if event:
            return redirect("m:grid:event", pk=event.pk)
    return render(request, "grid/m_report.html", {"form": form})


@login_required
def mine(request):
    person = _me(request)
    actor = request.actor
    reports = Event.objects.filter(reporter_id=actor.user_id).select_related("category")[:30]
    context = {
        "reports": reports,
        "workers": selectors.workers_for_person(person),
        "today": timezone.localdate(),
    }
    if actor.has_perm("grid.handle"):
        context["tasks"] = selectors.my_tasks(actor)[:30]
        context["visits"] = selectors.visits_due(actor).filter(helper_id=actor.user_id)[:30]
    return render(request, "grid/m_mine.html", context)


@login_required
def m_event(request, pk):
    event = get_visible_or_404(
        Event.objects.select_related("category", "grid", "assignee"), request.actor, pk=pk
    )
    return render(request, "grid/m_event.html", _event_context(request, event))
