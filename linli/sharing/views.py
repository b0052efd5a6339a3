"""Residents browse and book on a phone; resource owners approve, check in and schedule;
staff read the reports."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.pages import xlsx_response
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.org.choices import UnitKind
from linli.org.models import OrgUnit
from linli.sharing import ical, selectors, services
from linli.sharing.choices import BookingState
from linli.sharing.models import Booking, Resource

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _bookable(request, pk):
    try:
        allowed = {r.pk: r for r in selectors.resources_for_booking(request.actor)}
    except PermissionDenied as exc:
        raise Http404 from exc
    if pk not in allowed:
        raise Http404
    return allowed[pk]


# --- phone ----------------------------------------------------------------------------------


@login_required
def browse(request):
    try:
        resources = selectors.resources_for_booking(request.actor)
    except PermissionDenied:
        resources = []
    return render(request, "sharing/m_browse.html", {"resources": resources})


@login_required
def resource(request, pk):
    obj = _bookable(request, pk)
    today = timezone.localdate()
    day = parse_date(request.GET.get("day") or "") or today + datetime.timedelta(days=1)
    slots = services.availability(obj, day)
    return render(
        request,
        "sharing/m_resource.html",
        {
            "r": obj,
            "day": day,
            "days": [today + datetime.timedelta(days=n) for n in range(1, 15)],
            "slots": slots,
            "lengths": range(obj.slot_minutes, obj.max_duration_minutes + 1, obj.slot_minutes),
        },
    )


@login_required
@require_POST
def book(request, pk):
    obj = _bookable(request, pk)
    start = parse_datetime(request.POST.get("start") or "")
    try:
        minutes = int(request.POST.get("minutes") or obj.slot_minutes)
        places = int(request.POST.get("places") or 1)
    except ValueError:
        minutes, places = 0, 0
    if start is None or minutes <= 0:
        messages.error(request, _("请选择时段"))
        return redirect("m:sharing:resource", pk=pk)
    try:
        booking = services.booking_create(
            actor=request.actor,
            resource=obj,
            start=start,
            end=start + datetime.timedelta(minutes=minutes),
            places=places,
            purpose=request.POST.get("purpose", ""),
        )
    except ValidationError as exc:
        if exc.error_list and exc.error_list[0].code == "full" and request.POST.get("wait"):
            services.wait_join(
                actor=request.actor,
                resource=obj,
                start=start,
                end=start + datetime.timedelta(minutes=minutes),
                places=places,
            )
            messages.success(request, _("已加入候补，有空位时会自动为您预约"))
            return redirect("m:sharing:mine")
        _errors(request, exc)
        return redirect(f"{reverse('m:sharing:resource', args=[pk])}?day={start.date()}")
    if booking.state == BookingState.PENDING:
        messages.success(request, _("已提交，等待对方社区审批"))
    else:
        messages.success(request, _("预约成功"))
    return redirect("m:sharing:mine")


@login_required
def mine(request):
    return render(
        request,
        "sharing/m_mine.html",
        {
            "bookings": selectors.my_bookings(request.actor)[:50],
            "feed": request.build_absolute_uri(
                reverse("sharing:my-feed", args=[ical.feed_token(request.user.pk)])
            ),
        },
    )


@login_required
@require_POST
def cancel(request, pk):
    booking = get_object_or_404(Booking, pk=pk, booker_id=request.actor.user_id)
    try:
        services.booking_cancel(actor=request.actor, booking=booking)
        messages.success(request, _("已取消"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("m:sharing:mine")


def my_feed(request, token):
    user_id = ical.user_from_token(token)
    if user_id is None:
        raise Http404
    rows = Booking.objects.filter(
        booker_id=user_id, state__in=(*selectors.USED, BookingState.PENDING)
    ).select_related("resource")
    body = ical.calendar(
        _("我的预约"),
        ((f"booking-{b.pk}", b.start, b.end, str(b.resource), b.resource.location) for b in rows),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def resource_feed(request, pk):
    obj = get_object_or_404(Resource, pk=pk, active=True)
    body = ical.calendar(
        str(obj),
        (
            (f"busy-{b.pk}", b.start, b.end, _("已预约"), obj.location)
            for b in selectors.resource_feed(obj)
        ),
    )
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


# --- console --------------------------------------------------------------------------------


@staff_required
def home(request):
    require_perm(request.actor, "sharing.view_booking")
    now = timezone.now()
    pending = selectors.bookings(request.actor, state=BookingState.PENDING).order_by("start")
    today = selectors.bookings(request.actor).filter(
        start__date=timezone.localdate(), state__in=[BookingState.APPROVED, BookingState.CHECKED_IN]
    )
    return render(
        request,
        "sharing/home.html",
        {
            "resources": selectors.managed_resources(request.actor),
            "pending": pending[:50],
            "today": today.order_by("start"),
            "upcoming": selectors.bookings(request.actor)
            .filter(start__gte=now)
            .order_by("start")[:30],
        },
    )


@staff_required
@require_POST
def booking_action(request, pk, action):
    booking = get_visible_or_404(Booking, request.actor, pk=pk)
    try:
        if action in ("approve", "reject"):
            services.booking_decide(
                actor=request.actor, booking=booking, approve=action == "approve"
            )
        elif action == "checkin":
            services.booking_check_in(actor=request.actor, booking=booking)
        elif action == "cancel":
            services.booking_cancel(actor=request.actor, booking=booking, reason=_("管理方取消"))
        messages.success(request, _("已处理"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("console:sharing:home")


@staff_required
def reports(request):
    require_perm(request.actor, "sharing.view_booking")
    path = request.actor.focus_path or (request.actor.unit_paths("sharing.view_booking") or [""])[0]
    unit = OrgUnit.objects.filter(path=path).first()
    street = unit
    while street is not None and street.kind not in (UnitKind.STREET,) and street.depth > 1:
        street = OrgUnit.objects.filter(path=street.path[: -street.steplen]).first()
    if street is None or street.kind != UnitKind.STREET:
        street = OrgUnit.objects.filter(kind=UnitKind.STREET, path__startswith=path).first()
    since = timezone.now() - datetime.timedelta(days=int(request.GET.get("days") or 90))
    rows, totals = selectors.reciprocity(street=street, since=since) if street else ([], [])
    peak = max([t["given"] for t in totals] + [t["received"] for t in totals] + [1])
    bars = [
        {
            "name": t["community"].name,
            "given": t["given"],
            "received": t["received"],
            "gw": round(t["given"] * 300 / peak),
            "rw": round(t["received"] * 300 / peak),
            "y": 30 + n * 56,
        }
        for n, t in enumerate(totals)
    ]
    resources = selectors.managed_resources(request.actor)
    if request.GET.get("export") == "xlsx":
        headers = [_("提供社区"), _("使用社区"), _("小时")]
        return xlsx_response("reciprocity", headers, ((a.name, b.name, h) for a, b, h in rows))
    return render(
        request,
        "sharing/reports.html",
        {
            "street": street,
            "rows": rows,
            "bars": bars,
            "height": 40 + 56 * len(bars),
            "resources": resources,
        },
    )


@staff_required
def utilisation(request, pk):
    obj = get_visible_or_404(Resource, request.actor, "sharing.view_booking", pk=pk)
    until = timezone.now()
    since = until - datetime.timedelta(days=int(request.GET.get("days") or 28))
    table = selectors.utilisation(obj, since=since, until=until)
    hours = sorted({h for _d, h in table})
    grid = [(h, [table.get((d, h)) for d in range(7)]) for h in hours]
    if request.GET.get("export") == "xlsx":
        headers = [_("时段")] + [f"周{w}" for w in WEEKDAYS]
        return xlsx_response("utilisation", headers, ([f"{h}:00", *row] for h, row in grid))
    return render(
        request,
        "sharing/utilisation.html",
        {"r": obj, "grid": grid, "weekdays": WEEKDAYS},
    )
