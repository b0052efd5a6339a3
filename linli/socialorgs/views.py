"""Residents find and join activities on a phone; organisations publish and check in; staff
review applications and purchase projects and read the statistics."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import qr
from linli.core.pages import paginate, xlsx_response
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.org.models import Organisation, Person
from linli.socialorgs import selectors, services
from linli.socialorgs.choices import Audience, Field, Legal
from linli.socialorgs.models import Activity, Application, Signup


def _run(request, fn, ok, **kwargs):
    try:
        result = fn(actor=request.actor, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    except PermissionDenied:
        messages.error(request, _("您不能进行此操作"))
        return None
    messages.success(request, ok)
    return result


# --- phone ----------------------------------------------------------------------------------


@login_required
def activities(request):
    person = (
        Person.objects.filter(pk=request.actor.person_id).first()
        if request.actor.person_id
        else None
    )
    mine = {s.activity_id: s for s in selectors.my_signups(person)} if person else {}
    rows = [(a, mine.get(a.pk)) for a in selectors.activities(request.actor, upcoming=True)[:50]]
    return render(request, "socialorgs/m_activities.html", {"rows": rows})


@login_required
@require_POST
def join(request, pk):
    activity = get_visible_or_404(Activity, request.actor, "socialorgs.view_activity", pk=pk)
    made = _run(request, services.signup, _("报名成功"), activity=activity)
    if made is not None and made.state == "waiting":
        messages.info(request, _("名额已满，您在候补名单中"))
    return redirect("m:socialorgs:activities")


@login_required
@require_POST
def leave(request, pk):
    row = Signup.objects.filter(pk=pk, person_id=request.actor.person_id).first()
    if row:
        _run(request, services.signup_cancel, _("已取消"), signup_obj=row)
    return redirect("m:socialorgs:activities")


@login_required
def checkin(request, code):
    if request.method == "POST" and _run(request, services.check_in, _("签到成功"), code=code):
        return redirect("m:socialorgs:activities")
    activity = Activity.objects.filter(code=code).first()
    return render(request, "socialorgs/m_checkin.html", {"activity": activity})


# --- console --------------------------------------------------------------------------------


@staff_required
def home(request):
    require_perm(request.actor, "socialorgs.view_profile")
    stats = selectors.stats(request.actor)
    peak = max([m["participants"] for m in stats["monthly"]] + [1])
    bars = [
        {
            "x": i * 50 + 10,
            "h": m["participants"] * 160 // peak,
            "y": 170 - m["participants"] * 160 // peak,
            "label": f"{m['month']:%m}",
            "n": m["participants"],
        }
        for i, m in enumerate(stats["monthly"])
    ]
    if request.GET.get("export") == "xlsx":
        headers = [_("组织"), _("领域"), _("登记状态"), _("成员"), _("负责人")]
        rows = (
            (p.organisation.name, p.get_field_display(), p.get_legal_display(), p.members, p.leader)
            for p in selectors.profiles(request.actor)
        )
        return xlsx_response("social-organisations", headers, rows)
    return render(
        request,
        "socialorgs/home.html",
        {
            "stats": stats,
            "bars": bars,
            "fields": dict(Field.choices),
            "legals": dict(Legal.choices),
            "chart_width": max(len(bars) * 50 + 20, 200),
        },
    )


@staff_required
def orgs(request):
    require_perm(request.actor, "socialorgs.view_profile")
    qs = selectors.profiles(request.actor).order_by("field", "organisation__name")
    return render(request, "socialorgs/orgs.html", {"page": paginate(request, qs)})


@staff_required
def org_activities(request):
    """An organisation manager's activities: publish, QR for the door, attendance."""
    require_perm(request.actor, "socialorgs.view_activity")
    managed = Organisation.objects.visible_to(request.actor, "socialorgs.manage_org")
    if request.method == "POST":
        organisation = get_visible_or_404(
            Organisation,
            request.actor,
            "socialorgs.manage_org",
            pk=request.POST.get("organisation"),
        )
        starts = parse_datetime(request.POST.get("starts_at") or "")
        if starts is None:
            messages.error(request, _("请填写开始时间"))
        else:
            if timezone.is_naive(starts):
                starts = timezone.make_aware(starts)
            hours = int(request.POST.get("hours") or 2)
            made = _run(
                request,
                services.activity_publish,
                _("已发布"),
                organisation=organisation,
                title=request.POST.get("title", ""),
                place=request.POST.get("place", ""),
                audience=request.POST.get("audience") or Audience.ALL,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=hours),
                capacity=int(request.POST.get("capacity") or 20),
                signup_opens=timezone.now(),
                signup_closes=starts,
            )
            if made:
                return redirect("console:socialorgs:activity", pk=made.pk)
    qs = Activity.objects.visible_to(request.actor, "socialorgs.manage_org").select_related(
        "organisation"
    )
    return render(
        request,
        "socialorgs/activities.html",
        {"page": paginate(request, qs), "managed": managed, "audiences": Audience.choices},
    )


@staff_required
def activity(request, pk):
    obj = get_visible_or_404(Activity, request.actor, "socialorgs.view_activity", pk=pk)
    url = request.build_absolute_uri(reverse("m:socialorgs:checkin", args=[obj.code]))
    return render(
        request,
        "socialorgs/activity.html",
        {"a": obj, "qr": qr.svg(url), "url": url, "signups": obj.signups.select_related("person")},
    )


@staff_required
def applications(request):
    require_perm(request.actor, "socialorgs.review")
    if request.method == "POST":
        app = get_visible_or_404(
            Application, request.actor, "socialorgs.review", pk=request.POST.get("application")
        )
        _run(
            request,
            services.application_review,
            _("已处理"),
            application=app,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
        return redirect("console:socialorgs:applications")
    qs = Application.objects.visible_to(request.actor, "socialorgs.review").order_by("-created_at")
    return render(request, "socialorgs/applications.html", {"page": paginate(request, qs)})


@staff_required
def purchases(request):
    require_perm(request.actor, "socialorgs.view_purchase")
    return render(
        request, "socialorgs/purchases.html", {"rows": selectors.stats(request.actor)["purchases"]}
    )
