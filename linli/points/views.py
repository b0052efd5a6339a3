"""Pages: residents on a phone (balance, scan, rewards, vouchers, ranking, claims) and staff at a
desk (rules, activities with QR, approvals, awards, catalogue, fulfilment, leaderboards)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import qr
from linli.core.pages import paginate, wants_export, xlsx_response
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.org.choices import UnitKind
from linli.org.models import Estate, OrgUnit, Person
from linli.points import selectors, services
from linli.points.choices import AwardState, Category, RedemptionState
from linli.points.forms import (
    ActivityForm,
    AwardForm,
    ClaimForm,
    FulfilForm,
    ItemForm,
    PolicyForm,
    RuleForm,
)
from linli.points.models import Activity, Award, Item, Redemption, Rule


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _managed_units(actor, perm):
    kinds = [UnitKind.STREET, UnitKind.COMMUNITY, UnitKind.GRID]
    return OrgUnit.objects.visible_to(actor, perm).filter(kind__in=kinds).order_by("path")


def _resident(request):
    if not request.actor.person_id:
        return None
    return Person.objects.select_related(
        "household__building__estate__community", "household__building__grid"
    ).get(pk=request.actor.person_id)


# --- resident pages -------------------------------------------------------------------------


@login_required
def my_points(request):
    person = _resident(request)
    if person is None:
        return render(request, "points/m_no_person.html")
    return render(
        request,
        "points/m_home.html",
        {
            "summary": selectors.summary(person),
            "history": selectors.history(person, limit=30),
            "rules": selectors.rules_for_person(person),
            "pending": Award.objects.filter(person=person, state=AwardState.PENDING).count(),
        },
    )


@login_required
def checkin(request, code):
    activity = Activity.objects.select_related("rule").filter(code=code).first()
    if activity is None:
        messages.error(request, _("二维码无效"))
        return redirect("m:points:home")
    if request.method == "POST":
        try:
            row = services.checkin(actor=request.actor, code=code)
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("请使用居民账号扫码"))
        else:
            if row.checked_out_at:
                messages.success(request, _("签退成功，积分已到账"))
            elif activity.rule.per == "hour":
                messages.success(request, _("签到成功，活动结束时请再扫码签退"))
            else:
                messages.success(request, _("签到成功，积分已到账"))
            return redirect("m:points:home")
    return render(request, "points/m_checkin.html", {"activity": activity})


@login_required
def catalogue(request):
    person = _resident(request)
    items = selectors.catalogue(request.actor)
    summary = selectors.summary(person) if person else None
    return render(request, "points/m_catalogue.html", {"items": items, "summary": summary})


@login_required
@require_POST
def redeem(request, pk):
    item = get_visible_or_404(Item, request.actor, pk=pk)
    try:
        redemption = services.redeem(actor=request.actor, item=item)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("m:points:catalogue")
    except PermissionDenied:
        messages.error(request, _("请使用居民账号兑换"))
        return redirect("m:points:catalogue")
    messages.success(request, _("兑换成功，请凭券码领取"))
    return redirect("m:points:voucher", code=redemption.code)


@login_required
def vouchers(request):
    person = _resident(request)
    rows = selectors.my_redemptions(person) if person else []
    return render(request, "points/m_vouchers.html", {"rows": rows})


@login_required
def voucher(request, code):
    redemption = (
        Redemption.objects.select_related("item")
        .filter(code=code, person_id=request.actor.person_id)
        .first()
    )
    if redemption is None:
        messages.error(request, _("没有找到该兑换券"))
        return redirect("m:points:vouchers")
    return render(
        request,
        "points/m_voucher.html",
        {"r": redemption, "qr": qr.svg(redemption.code)},
    )


@login_required
@require_POST
def voucher_cancel(request, code):
    redemption = Redemption.objects.filter(code=code, person_id=request.actor.person_id).first()
    if redemption is not None:
        try:
            services.redemption_cancel(actor=request.actor, redemption=redemption)
            messages.success(request, _("已取消，积分已退回"))
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("m:points:vouchers")


@login_required
def ranking(request):
    person = _resident(request)
    top, mine = selectors.community_ranking(person) if person else ([], None)
    return render(request, "points/m_ranking.html", {"top": top, "mine": mine})


@login_required
def claim(request):
    person = _resident(request)
    if person is None:
        return render(request, "points/m_no_person.html")
    rules = Rule.objects.filter(
        pk__in=[r.pk for r in selectors.rules_for_person(person) if r.claimable]
    )
    form = ClaimForm(request.POST or None, request.FILES or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.claim_submit(
                actor=request.actor,
                rule=form.cleaned_data["rule"],
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            if made.state == AwardState.PENDING:
                messages.success(request, _("已提交，等待社区审核"))
            else:
                messages.success(request, _("积分已到账"))
            return redirect("m:points:home")
    return render(request, "points/m_claim.html", {"form": form})


# --- staff pages ----------------------------------------------------------------------------


def _focus_path(request):
    actor = request.actor
    if actor.focus_path:
        return actor.focus_path
    paths = actor.unit_paths("points.view_award")
    return paths[0] if len(paths) == 1 else (paths[0][:4] if paths else "")


@staff_required
def home(request):
    require_perm(request.actor, "points.view_award")
    path = _focus_path(request)
    if wants_export(request):
        headers = [_("居民"), _("规则"), _("类别"), _("积分"), _("来源"), _("状态"), _("日期")]
        rows = (
            (
                a.person.name,
                a.rule.name,
                a.rule.get_category_display(),
                a.points,
                a.get_source_display(),
                a.get_state_display(),
                a.earned_on,
            )
            for a in selectors.awards(request.actor).select_related("rule")
        )
        return xlsx_response("points", headers, rows)
    earned, redeemed = selectors.monthly(request.actor, unit_path=path)
    return render(
        request,
        "points/home.html",
        {
            "stats": selectors.stats(request.actor, unit_path=path),
            "by_grid": selectors.leaderboard(request.actor, unit_path=path, by="grid"),
            "by_person": selectors.leaderboard(request.actor, unit_path=path, limit=10),
            "recent": selectors.awards(request.actor)[:15],
            **_chart(earned, redeemed),
        },
    )


COLOURS = ["#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#718096"]


def _chart(earned, redeemed):
    """Stacked bars of points earned by category per month, with the redeemed points beside."""
    months = sorted({r["month"] for r in earned} | {r["month"] for r in redeemed})
    categories = sorted({r["rule__category"] for r in earned})
    labels = dict(Category.choices)
    by = {(r["month"], r["rule__category"]): r["points"] for r in earned}
    out = {r["month"]: r["points"] for r in redeemed}
    peak = max(
        [sum(by.get((m, c), 0) for c in categories) for m in months] + list(out.values()) + [1]
    )
    bars = []
    for i, month in enumerate(months):
        y = 180
        for j, cat in enumerate(categories):
            h = by.get((month, cat), 0) * 170 // peak
            y -= h
            bars.append(
                {
                    "x": i * 60 + 8,
                    "y": y,
                    "h": h,
                    "colour": COLOURS[j % len(COLOURS)],
                    "title": f"{month:%Y-%m} {labels.get(cat, cat)} {by.get((month, cat), 0)}",
                }
            )
        h = out.get(month, 0) * 170 // peak
        bars.append(
            {
                "x": i * 60 + 32,
                "y": 180 - h,
                "h": h,
                "colour": "#e53e3e",
                "title": f"{month:%Y-%m} {_('兑换')} {out.get(month, 0)}",
            }
        )
    return {
        "bars": bars,
        "months": [(i * 60 + 30, m) for i, m in enumerate(months)],
        "legend": [(labels.get(c, c), COLOURS[j % len(COLOURS)]) for j, c in enumerate(categories)],
        "chart_width": max(len(months) * 60 + 20, 200),
    }


@staff_required
def rules(request):
    require_perm(request.actor, "points.view_rule")
    units = _managed_units(request.actor, "points.manage_rules")
    form = RuleForm(request.POST or None, units=units)
    policy_form = PolicyForm()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, code = data.pop("unit"), data.pop("code")
        try:
            services.rule_save(actor=request.actor, unit=unit, code=code, **data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("规则已保存"))
            return redirect("console:points:rules")
    return render(
        request,
        "points/rules.html",
        {
            "rules": selectors.rules(request.actor).order_by("code", "unit__path"),
            "form": form if request.actor.has_perm("points.manage_rules") else None,
            "policy_form": policy_form,
            "units": units,
        },
    )


@staff_required
@require_POST
def policy(request):
    unit = get_visible_or_404(
        OrgUnit, request.actor, "points.manage_rules", pk=request.POST.get("unit")
    )
    form = PolicyForm(request.POST)
    if form.is_valid():
        services.policy_set(actor=request.actor, unit=unit, expiry=form.cleaned_data["expiry"])
        messages.success(request, _("有效期已设置"))
    return redirect("console:points:rules")


@staff_required
def activities(request):
    require_perm(request.actor, "points.view_activity")
    units = _managed_units(request.actor, "points.manage_activities")
    rules = Rule.objects.filter(active=True).filter(
        Q(unit__isnull=True) | Q(pk__in=selectors.rules(request.actor).values("pk"))
    )
    form = ActivityForm(request.POST or None, rules=rules, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.actor, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("console:points:activity", pk=activity.pk)
    return render(
        request,
        "points/activities.html",
        {
            "page": paginate(request, selectors.activities(request.actor)),
            "form": form if request.actor.has_perm("points.manage_activities") else None,
        },
    )


@staff_required
def activity(request, pk):
    obj = get_visible_or_404(Activity.objects.select_related("rule", "unit"), request.actor, pk=pk)
    url = request.build_absolute_uri(reverse("m:points:checkin", args=[obj.code]))
    return render(
        request,
        "points/activity.html",
        {
            "activity": obj,
            "qr": qr.svg(url),
            "url": url,
            "checkins": obj.checkins.select_related("person").order_by("checked_in_at"),
        },
    )


@staff_required
def approvals(request):
    require_perm(request.actor, "points.approve")
    if request.method == "POST":
        obj = get_visible_or_404(
            Award, request.actor, "points.approve", pk=request.POST.get("award")
        )
        try:
            services.claim_decide(
                actor=request.actor,
                award_obj=obj,
                approve=request.POST.get("decision") == "approve",
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已处理"))
        return redirect("console:points:approvals")
    pending = selectors.awards(request.actor, state=AwardState.PENDING).order_by("created_at")
    return render(request, "points/approvals.html", {"page": paginate(request, pending)})


@staff_required
def award(request):
    require_perm(request.actor, "points.award")
    query = (request.GET.get("q") or "").strip()
    people = []
    if query:
        people = (
            Person.objects.visible_to(request.actor, "points.award")
            .filter(Q(name__contains=query) | Q(phone__endswith=query))
            .select_related("household__building__estate")[:20]
        )
    person = None
    if request.GET.get("person") or request.POST.get("person"):
        person = get_visible_or_404(
            Person,
            request.actor,
            "points.award",
            pk=request.GET.get("person") or request.POST.get("person"),
        )
    rules = selectors.rules_for_person(person) if person else []
    form = AwardForm(request.POST or None, rules=Rule.objects.filter(pk__in=[r.pk for r in rules]))
    if request.method == "POST" and person and form.is_valid():
        try:
            made = services.award_by_staff(
                actor=request.actor,
                person=person,
                rule=form.cleaned_data["rule"],
                quantity=form.cleaned_data["quantity"],
                note=form.cleaned_data["note"],
                key=request.POST.get("key") or None,
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("已为 %(name)s 奖励 %(n)s 积分") % {"name": person.name, "n": made.points},
            )
            return redirect("console:points:award")
    return render(
        request,
        "points/award.html",
        {"people": people, "person": person, "form": form, "query": query},
    )


@staff_required
def items(request):
    require_perm(request.actor, "points.view_item")
    units = _managed_units(request.actor, "points.manage_catalogue")
    estates = Estate.objects.visible_to(request.actor)
    edit = None
    if request.GET.get("edit"):
        edit = get_visible_or_404(
            Item, request.actor, "points.manage_catalogue", pk=request.GET["edit"]
        )
    form = ItemForm(
        request.POST or None, request.FILES or None, instance=edit, units=units, estates=estates
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        unit = edit.unit if edit else form.cleaned_data["unit"]
        try:
            services.item_save(actor=request.actor, unit=unit, item=edit, **data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("console:points:items")
    return render(
        request,
        "points/items.html",
        {
            "page": paginate(request, selectors.items(request.actor)),
            "form": form if request.actor.has_perm("points.manage_catalogue") else None,
            "edit": edit,
        },
    )


@staff_required
def fulfil(request):
    require_perm(request.actor, "points.fulfil")
    form = FulfilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.fulfil(actor=request.actor, code=form.cleaned_data["code"])
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("已核销：%(item)s（%(name)s）")
                % {"item": done.item.name, "name": done.person.name},
            )
            return redirect("console:points:fulfil")
    recent = selectors.redemptions(request.actor).order_by("-created_at")[:30]
    return render(
        request,
        "points/fulfil.html",
        {"form": form, "recent": recent, "pending": RedemptionState.PENDING},
    )
