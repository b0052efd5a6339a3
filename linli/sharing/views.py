import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime, parse_time
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.accounts.models import User
from linli.core.pages import wants_export, xlsx_response
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.org.models import Organisation
from linli.sharing import charts, draws, ical, selectors, services
from linli.sharing.choices import USED
from linli.sharing.forms import WEEKDAYS, BookingForm, HoursForm, ResourceForm
from linli.sharing.models import Booking, Resource, SlotLottery, WeeklyHours


def _day(request):
    return parse_date(request.GET.get("day") or "") or timezone.localdate()


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _week_context(resource, request):
    first = _day(request)
    return {
        "resource": resource,
        "week": selectors.week_calendar(resource, first),
        "prev_day": first - datetime.timedelta(days=7),
        "next_day": first + datetime.timedelta(days=7),
        "now": timezone.now(),
        "lotteries": SlotLottery.objects.filter(resource=resource, end__gte=timezone.now())
        .select_related("draw")
        .order_by("start"),
    }


@login_required
def resident_home(request):
    resources = selectors.resources_for_booking(request.actor).order_by("owner_unit__path", "code")
    return render(request, "sharing/resident_home.html", {"resources": resources})


@login_required
def resident_resource(request, code):
    resource = get_object_or_404(selectors.resources_for_booking(request.actor), code=code)
    return render(request, "sharing/resident_resource.html", _week_context(resource, request))


@login_required
@require_POST
def lottery_enter(request, pk):
    row = get_object_or_404(
        SlotLottery.objects.filter(resource__in=selectors.resources_for_booking(request.actor)),
        pk=pk,
    )
    try:
        draws.slot_lottery_enter(actor=request.actor, slot_lottery=row)
        messages.success(request, _("已报名抽签，开奖后会通知结果"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("m:sharing:resource", row.resource.code)


@login_required
def book(request, code):
    resource = get_object_or_404(selectors.resources_for_booking(request.actor), code=code)
    organisations = list(Organisation.objects.visible_to(request.actor, "org.change_organisation"))
    form = BookingForm(
        request.POST or None,
        initial={"start": request.GET.get("start")},
        resource=resource,
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        start = data["start"]
        end = start + datetime.timedelta(minutes=resource.slot_minutes * data["slots"])
        on_behalf_of = next((o for o in organisations if o.pk == data.get("on_behalf_of")), None)
        try:
            if request.POST.get("waitlist"):
                services.waitlist_join(
                    actor=request.actor,
                    resource=resource,
                    start=start,
                    end=end,
                    places=data["places"],
                )
                messages.success(request, _("已加入候补，有空位时会通知您"))
            else:
                booking = services.booking_create(
                    actor=request.actor,
                    resource=resource,
                    start=start,
                    end=end,
                    places=data["places"],
                    purpose=data["purpose"],
                    on_behalf_of=on_behalf_of,
                )
                messages.success(
                    request,
                    _("预约已提交，等待审批") if booking.status == "pending" else _("预约成功"),
                )
            return redirect("m:sharing:mine")
        except ValidationError as exc:
            _errors(request, exc)
    return render(request, "sharing/book.html", {"resource": resource, "form": form})


@login_required
def mine(request):
    return render(
        request,
        "sharing/mine.html",
        {
            "bookings": selectors.my_bookings(request.actor)[:100],
            "feed_url": request.build_absolute_uri(
                reverse("sharing:my_ics", args=[ical.feed_token(request.user)])
            ),
        },
    )


@login_required
@require_POST
def cancel(request, pk):
    booking = get_visible_or_404(Booking, request.actor, pk=pk)
    try:
        services.booking_cancel(
            actor=request.actor, booking=booking, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("预约已取消"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(request.POST.get("next") or "m:sharing:mine")


@staff_required
def console_home(request):
    require_perm(request.actor, "sharing.approve_booking")
    bookings = selectors.bookings_to_handle(request.actor)[:200]
    return render(
        request,
        "sharing/console_home.html",
        {
            "pending": [b for b in bookings if b.status == "pending"],
            "upcoming": [b for b in bookings if b.status != "pending"],
            "resources": selectors.managed_resources(request.actor),
            "now": timezone.now(),
            "perms_report": request.actor.has_perm("sharing.view_report"),
        },
    )


@staff_required
def console_resource(request, code):
    resource = get_visible_or_404(
        Resource.objects.prefetch_related("hours", "exceptions"), request.actor, code=code
    )
    context = _week_context(resource, request)
    context["hours"] = [(WEEKDAYS[h.weekday], h) for h in resource.hours.all()]
    context["hours_form"] = HoursForm()
    context["manage"] = request.actor.can("sharing.manage_resource", resource)
    return render(request, "sharing/console_resource.html", context)


@staff_required
def resource_new(request):
    require_perm(request.actor, "sharing.manage_resource")
    form = ResourceForm(request.POST or None, request.FILES or None, actor=request.actor)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            resource = services.resource_create(actor=request.actor, **data)
            messages.success(request, _("资源已发布，请设置每周开放时间"))
            return redirect("console:sharing:resource", resource.code)
        except ValidationError as exc:
            _errors(request, exc)
    return render(request, "sharing/resource_new.html", {"form": form})


@staff_required
@require_POST
def hours_add(request, code):
    resource = get_visible_or_404(Resource, request.actor, "sharing.manage_resource", code=code)
    form = HoursForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写星期与开放、关闭时间"))
        services.hours_add(actor=request.actor, resource=resource, **form.cleaned_data)
        messages.success(request, _("已添加开放时间"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("console:sharing:resource", code)


@staff_required
@require_POST
def hours_remove(request, pk):
    row = get_object_or_404(
        WeeklyHours.objects.filter(
            resource__in=Resource.objects.visible_to(request.actor, "sharing.manage_resource")
        ),
        pk=pk,
    )
    services.hours_remove(actor=request.actor, row=row)
    return redirect("console:sharing:resource", row.resource.code)


@staff_required
@require_POST
def exception_add(request, code):
    resource = get_visible_or_404(Resource, request.actor, "sharing.manage_resource", code=code)
    day = parse_date(request.POST.get("date") or "")
    opens = parse_time(request.POST.get("opens") or "")
    closes = parse_time(request.POST.get("closes") or "")
    try:
        if day is None:
            raise ValidationError(_("请填写日期"))
        services.exception_set(
            actor=request.actor,
            resource=resource,
            date=day,
            closed=not (opens and closes),
            opens=opens,
            closes=closes,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("已保存开放例外"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("console:sharing:resource", code)


@staff_required
def calendar(request):
    """A week of bookings on the resources the actor's community or organisation owns."""
    require_perm(request.actor, "sharing.view_booking")
    first = _day(request)
    since, until = _bounds(first, first + datetime.timedelta(days=7))
    bookings = (
        Booking.objects.visible_to(request.actor)
        .filter(start__gte=since, start__lt=until)
        .exclude(status__in=("cancelled", "rejected"))
        .select_related("resource", "borrower_unit", "on_behalf_of")
        .order_by("start")
    )
    days = [(first + datetime.timedelta(days=i), []) for i in range(7)]
    for b in bookings:
        days[(timezone.localtime(b.start).date() - first).days][1].append(b)
    return render(
        request,
        "sharing/calendar.html",
        {
            "days": days,
            "prev_day": first - datetime.timedelta(days=7),
            "next_day": first + datetime.timedelta(days=7),
        },
    )


@staff_required
@require_POST
def lottery_open(request, code):
    resource = get_visible_or_404(Resource, request.actor, "sharing.manage_resource", code=code)
    start = parse_datetime(request.POST.get("start") or "")
    try:
        if start is None:
            raise ValidationError(_("请填写开始时间"))
        start = timezone.make_aware(start) if timezone.is_naive(start) else start
        minutes = resource.slot_minutes * int(request.POST.get("slots") or 1)
        draws.slot_lottery_open(
            actor=request.actor,
            resource=resource,
            start=start,
            end=start + datetime.timedelta(minutes=minutes),
        )
        messages.success(request, _("已发布抽签"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("console:sharing:resource", code)


@staff_required
@require_POST
def lottery_run(request, pk):
    row = get_visible_or_404(SlotLottery, request.actor, "sharing.manage_resource", pk=pk)
    try:
        booked = draws.slot_lottery_run(
            actor=request.actor, slot_lottery=row, public_value=request.POST.get("public_value", "")
        )
        messages.success(request, _("已开奖，%(n)s 人获得名额") % {"n": len(booked)})
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("console:sharing:resource", row.resource.code)


@staff_required
@require_POST
def decide(request, pk):
    booking = get_visible_or_404(Booking, request.actor, "sharing.approve_booking", pk=pk)
    action = request.POST.get("action")
    try:
        if action == "check_in":
            services.booking_check_in(actor=request.actor, booking=booking)
            messages.success(request, _("已签到"))
        elif action == "cancel":
            services.booking_cancel(
                actor=request.actor, booking=booking, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("预约已取消"))
        else:
            approve = action == "approve"
            services.booking_decide(
                actor=request.actor,
                booking=booking,
                approve=approve,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("已通过") if approve else _("已拒绝"))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("console:sharing:home")


def _period(request):
    today = timezone.localdate()
    since = parse_date(request.GET.get("since") or "") or today.replace(month=1, day=1)
    until = parse_date(request.GET.get("until") or "") or today + datetime.timedelta(days=60)
    return since, until


def _bounds(since, until):
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(since, datetime.time(0), tzinfo=tz),
        datetime.datetime.combine(until, datetime.time(0), tzinfo=tz),
    )


@staff_required
def reciprocity(request):
    require_perm(request.actor, "sharing.view_report")
    since, until = _period(request)
    rows = selectors.reciprocity(request.actor, *_bounds(since, until))
    return render(
        request,
        "sharing/reciprocity.html",
        {
            "rows": rows,
            "balance": selectors.reciprocity_balance(rows),
            "chart": charts.reciprocity_svg(rows),
            "since": since,
            "until": until,
        },
    )


@staff_required
def utilisation(request):
    require_perm(request.actor, "sharing.view_report")
    since, until = _period(request)
    resource = None
    if request.GET.get("resource"):
        resource = get_visible_or_404(
            Resource, request.actor, "sharing.view_report", code=request.GET["resource"]
        )
    grid = selectors.utilisation(request.actor, since, until, resource)
    if wants_export(request):
        rows = (
            (
                str(WEEKDAYS[d]),
                f"{h:02d}:00",
                *grid[(d, h)],
                round(100 * grid[(d, h)][0] / grid[(d, h)][1]),
            )
            for d in range(7)
            for h in range(24)
            if grid.get((d, h), (0, 0))[1]
        )
        return xlsx_response(
            "sharing-utilisation",
            [_("星期"), _("时段"), _("已用名额小时"), _("开放名额小时"), _("利用率%")],
            rows,
        )
    hours = sorted({h for _d, h in grid})
    table = [
        (
            f"{h:02d}:00",
            [
                round(100 * grid[(d, h)][0] / grid[(d, h)][1])
                if grid.get((d, h), (0, 0))[1]
                else None
                for d in range(7)
            ],
        )
        for h in hours
    ]
    return render(
        request,
        "sharing/utilisation.html",
        {
            "table": table,
            "weekdays": WEEKDAYS,
            "since": since,
            "until": until,
            "resources": Resource.objects.visible_to(request.actor, "sharing.view_report"),
            "resource": resource,
        },
    )


def resource_ics(request, code):
    """Busy times of a resource: public within the platform, no names of people."""
    resource = get_object_or_404(Resource, code=code, active=True)
    bookings = Booking.objects.filter(resource=resource, status__in=(*USED, "pending")).filter(
        end__gte=timezone.now() - datetime.timedelta(days=30)
    )
    events = [
        (f"sharing-{b.pk}", b.start, b.end, f"{resource.name} · {_('已预约')}", resource.location)
        for b in bookings
    ]
    return ical.calendar_response(resource.name, events, request.get_host())


def my_ics(request, token):
    try:
        user = get_object_or_404(User, pk=ical.user_from_token(token))
    except (signing.BadSignature, ValueError) as exc:
        raise Http404 from exc
    bookings = Booking.objects.filter(booker=user, status__in=(*USED, "pending")).select_related(
        "resource"
    )
    events = [
        (
            f"sharing-{b.pk}",
            b.start,
            b.end,
            f"{b.resource.name}（{b.get_status_display()}）",
            b.resource.location,
        )
        for b in bookings
    ]
    return ical.calendar_response(_("我的预约"), events, request.get_host())
