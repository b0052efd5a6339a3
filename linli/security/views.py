from datetime import timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.pages import paginate
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required

from . import selectors, services
from .choices import Resolution
from .models import Alarm, Credential, VisitorPass


@staff_required
def alarms(request):
    require_perm(request.actor, "security.view_alarm")
    return render(
        request,
        "security/alarms.html",
        {
            "alarms": selectors.alarms(request.actor)[:100],
            "stats": selectors.statistics(request.actor),
            "plan": selectors.plan(request.actor),
            "resolutions": Resolution.choices,
        },
    )


@staff_required
def alarm_rows(request):
    """The live list's body, fetched again whenever the socket says an alarm changed."""
    require_perm(request.actor, "security.view_alarm")
    return render(
        request,
        "security/_alarm_rows.html",
        {
            "alarms": selectors.alarms(request.actor)[:100],
            "resolutions": Resolution.choices,
        },
    )


@staff_required
def alarm_plan(request):
    require_perm(request.actor, "security.view_alarm")
    return render(request, "security/_plan.html", {"plan": selectors.plan(request.actor)})


@staff_required
def alarm_detail(request, pk):
    alarm = get_visible_or_404(Alarm, request.actor, pk=pk)
    return render(
        request,
        "security/alarm_detail.html",
        {
            "alarm": alarm,
            "notes": alarm.notes.select_related("author"),
            "resolutions": Resolution.choices,
        },
    )


@staff_required
@require_POST
def alarm_action(request, pk, action):
    alarm = get_visible_or_404(Alarm, request.actor, pk=pk)
    actor = request.actor
    try:
        if action == "ack":
            services.alarm_acknowledge(actor=actor, alarm=alarm)
        elif action == "clear":
            services.alarm_clear(actor=actor, alarm=alarm)
        elif action == "comment":
            services.alarm_comment(actor=actor, alarm=alarm, text=request.POST.get("text", ""))
        elif action == "close":
            services.alarm_close(
                actor=actor,
                alarm=alarm,
                resolution=request.POST.get("resolution", ""),
                note=request.POST.get("note", ""),
            )
        else:
            raise ValidationError(_("未知操作"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return alarm_rows(request)
    return redirect("console:security:alarm", pk=alarm.pk)


@staff_required
def devices(request):
    require_perm(request.actor, "security.view_device")
    qs = selectors.devices(request.actor)
    return render(
        request,
        "security/devices.html",
        {
            "page": paginate(request, qs),
            "offline": qs.filter(online=False).count(),
            "total": qs.count(),
            "dead": selectors.dead_letters(request.actor)[:20],
            "faces": selectors.face_enrolments(),
            "can_manage": request.actor.has_perm("security.manage_device"),
            "can_credentials": request.actor.has_perm("security.manage_credential"),
        },
    )


@staff_required
def visitors(request):
    require_perm(request.actor, "security.view_visitorpass")
    return render(
        request, "security/visitors.html", {"passes": selectors.visitors_today(request.actor)}
    )


@login_required
def resident_home(request):
    return render(
        request,
        "security/resident_home.html",
        {
            "passes": selectors.my_passes(request.actor)[:20],
            "credentials": selectors.my_credentials(request.actor),
            "now": timezone.now(),
        },
    )


@login_required
def pass_new(request):
    if request.method == "POST":
        start = parse_datetime(request.POST.get("valid_from", ""))
        hours = int(request.POST.get("hours") or 4)
        try:
            if start is None:
                raise ValidationError(_("请选择到访时间"))
            start = timezone.make_aware(start) if timezone.is_naive(start) else start
            visit = services.visitor_pass_create(
                actor=request.actor,
                visitor_name=request.POST.get("visitor_name", ""),
                valid_from=start,
                valid_until=start + timedelta(hours=max(1, min(hours, 72))),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("已生成访客通行码：%(name)s") % {"name": visit.visitor_name}
            )
        return redirect("m:security:home")
    return redirect("m:security:home")


@login_required
def pass_qr(request, pk):
    visit = get_visible_or_404(VisitorPass, request.actor, pk=pk)
    qr = segno.make(f"linli-pass:{visit.code}", error="m")
    return HttpResponse(qr.svg_inline(scale=4), content_type="image/svg+xml")


@login_required
@require_POST
def credential_revoke(request, pk):
    credential = get_visible_or_404(Credential, request.actor, pk=pk)
    services.credential_revoke(actor=request.actor, credential=credential)
    messages.success(request, _("已撤销，门禁设备上的登记已删除"))
    return redirect("m:security:home")
