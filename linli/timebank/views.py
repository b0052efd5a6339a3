"""Pages for volunteers, elders and families on a phone, and for staff at a desk."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import pdf, qr
from linli.core.pages import paginate
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.org.models import OrgUnit, Person
from linli.timebank import selectors, services
from linli.timebank.choices import ServiceState, VolunteerStatus
from linli.timebank.forms import GiftForm, RequestForm, SignupForm
from linli.timebank.models import Flag, Gift, Service, Volunteer


def _errors(request, exc):
    for message in exc.messages:
        messages.error(request, message)


def _me(request):
    if not request.actor.person_id:
        return None
    return Person.objects.select_related(
        "household__building__estate__community", "household__building__grid"
    ).get(pk=request.actor.person_id)


def _run(request, fn, ok, **kwargs):
    try:
        fn(actor=request.actor, **kwargs)
    except ValidationError as exc:
        _errors(request, exc)
        return False
    except PermissionDenied:
        messages.error(request, _("您不能进行此操作"))
        return False
    messages.success(request, ok)
    return True


# --- phone pages ----------------------------------------------------------------------------


@login_required
def home(request):
    person = _me(request)
    if person is None or person.household_id is None:
        return render(request, "timebank/m_no_person.html")
    volunteer = selectors.volunteer_of(person)
    today = timezone.localdate()
    context = {
        "person": person,
        "volunteer": volunteer,
        "summary": selectors.account_summary(person),
        "can_withdraw": services.can_withdraw(person, today),
        "requests": selectors.my_requests(person)[:20],
        "form": RequestForm(),
        "signup": SignupForm() if volunteer is None else None,
        "gift_form": GiftForm(),
    }
    if volunteer and volunteer.status == VolunteerStatus.ACTIVE:
        context["my_services"] = selectors.my_services(volunteer)[:20]
        context["open"] = selectors.open_requests_for(volunteer)
    return render(request, "timebank/m_home.html", context)


@login_required
@require_POST
def signup(request):
    person = _me(request)
    form = SignupForm(request.POST)
    if person and form.is_valid():
        _run(
            request,
            services.volunteer_register,
            _("已提交，社区核实身份后即可接单"),
            person=person,
            skills=form.cleaned_data["skills"],
            availability=form.cleaned_data["availability"],
        )
    return redirect("m:timebank:home")


@login_required
@require_POST
def request_help(request):
    person = _me(request)
    form = RequestForm(request.POST)
    if person and form.is_valid():
        data = form.cleaned_data
        _run(
            request,
            services.request_create,
            _("需求已发布，志愿者接单后会通知您"),
            elder=person,
            category_code=data["category"].code,
            start=data["start"],
            minutes=data["minutes"],
            note=data["note"],
            payer=person if data["pay"] else None,
        )
    else:
        messages.error(request, _("请填写完整"))
    return redirect("m:timebank:home")


def _service_for(request, pk):
    """A service the resident is part of: as the elder, the payer, the volunteer, or family."""
    person_id = request.actor.person_id
    service = (
        Service.objects.select_related("category", "elder__household", "volunteer__person")
        .filter(pk=pk)
        .first()
    )
    if service is None or person_id is None:
        return None
    mine = person_id in (service.elder_id, service.payer_id) or (
        service.volunteer_id and service.volunteer.person_id == person_id
    )
    family = services._same_household(person_id, service.elder_id)
    volunteer = selectors.volunteer_of(Person(pk=person_id))
    may_take = (
        service.state == ServiceState.OPEN
        and volunteer is not None
        and volunteer.status == VolunteerStatus.ACTIVE
    )
    return service if (mine or family or may_take) else None


@login_required
def service(request, pk):
    obj = _service_for(request, pk)
    if obj is None:
        messages.error(request, _("没有找到该服务"))
        return redirect("m:timebank:home")
    person_id = request.actor.person_id
    is_volunteer = obj.volunteer_id and obj.volunteer.person_id == person_id
    is_elder_side = person_id == obj.elder_id or services._same_household(person_id, obj.elder_id)
    return render(
        request,
        "timebank/m_service.html",
        {
            "s": obj,
            "is_volunteer": is_volunteer,
            "is_elder_side": is_elder_side,
            "qr": qr.svg(obj.code) if is_elder_side else None,
        },
    )


@login_required
@require_POST
def service_action(request, pk, action):
    obj = _service_for(request, pk)
    if obj is None:
        raise PermissionDenied
    post = request.POST
    if action == "accept":
        _run(request, services.service_accept, _("已接单"), service=obj)
    elif action == "checkin":
        _run(
            request,
            services.service_check_in,
            _("已签到，开始服务"),
            service=obj,
            code=post.get("code", "").strip(),
            manual_reason=post.get("reason", ""),
        )
    elif action == "checkout":
        _run(
            request,
            services.service_check_out,
            _("已签退，等待老人确认"),
            service=obj,
            note=post.get("note", ""),
        )
    elif action == "confirm":
        rating = int(post["rating"]) if post.get("rating", "").isdigit() else None
        _run(
            request, services.service_confirm, _("已确认，等待社区审核"), service=obj, rating=rating
        )
    elif action == "dispute":
        _run(
            request,
            services.service_dispute,
            _("已提交争议"),
            service=obj,
            reason=post.get("reason", ""),
        )
    elif action == "cancel":
        _run(request, services.service_cancel, _("已取消"), service=obj)
    return redirect("m:timebank:service", pk=pk)


@login_required
@require_POST
def gift(request):
    person = _me(request)
    form = GiftForm(request.POST)
    if person and form.is_valid():
        data = form.cleaned_data
        receiver = None
        if data["receiver_phone"]:
            receiver = Person.objects.filter(phone=data["receiver_phone"].strip()).first()
            if receiver is None:
                messages.error(request, _("没有找到该手机号登记的居民"))
                return redirect("m:timebank:home")
        _run(
            request,
            services.gift_create,
            _("已提交") if receiver else _("感谢您的捐赠"),
            giver=person,
            receiver=receiver,
            relation=data["relation"],
            minutes=int(data["hours"] * 60),
        )
    return redirect("m:timebank:home")


@login_required
def statement_pdf(request):
    person = _me(request)
    if person is None:
        raise PermissionDenied
    year = int(request.GET.get("year") or timezone.localdate().year)
    return _statement_response(person, year)


def _statement_response(person, year):
    account, rows = selectors.statement(person, year)
    doc = pdf.document(_("时间银行年度对账单"))
    pdf.heading(doc, _("时间银行年度对账单 %(year)s") % {"year": year})
    pdf.paragraph(doc, _("账户：%(name)s") % {"name": person.name})
    total = 0
    for transfer, amount in rows:
        total += amount
        pdf.paragraph(
            doc,
            f"{timezone.localtime(transfer.created_at):%Y-%m-%d}  {transfer.memo or transfer.kind}"
            f"  {amount / 60:+.1f} h",
        )
    pdf.paragraph(
        doc,
        _("本年变动 %(total).1f 小时，当前余额 %(balance).1f 小时")
        % {"total": total / 60, "balance": account.balance / 60},
    )
    response = HttpResponse(pdf.as_bytes(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="timebank-{year}.pdf"'
    return response


# --- console --------------------------------------------------------------------------------


def _focus_unit(request):
    actor = request.actor
    path = actor.focus_path or (actor.unit_paths("timebank.view_service") or [""])[0]
    unit = OrgUnit.objects.filter(path=path).first() if path else None
    return unit or OrgUnit.objects.filter(depth=1).order_by("path").first()


@staff_required
def console_home(request):
    require_perm(request.actor, "timebank.view_service")
    unit = _focus_unit(request)
    stats = selectors.stats(request.actor, unit=unit)
    months = sorted({m for m, _h in stats["deposited"]} | {m for m, _h in stats["spent"]})
    deposited, spent = dict(stats["deposited"]), dict(stats["spent"])
    peak = max([*deposited.values(), *spent.values(), 1])
    chart = []
    for i, month in enumerate(months):
        d = deposited.get(month, 0) * 170 // peak
        s = spent.get(month, 0) * 170 // peak
        chart.append(
            {
                "month": month,
                "deposited": deposited.get(month, 0),
                "spent": spent.get(month, 0),
                "x": i * 60 + 8,
                "x2": i * 60 + 30,
                "dh": d,
                "dy": 180 - d,
                "sh": s,
                "sy": 180 - s,
            }
        )
    return render(
        request,
        "timebank/console_home.html",
        {
            "unit": unit,
            "stats": stats,
            "chart": chart,
            "chart_width": max(len(chart) * 60 + 20, 200),
            "flows": selectors.flows(unit=unit),
            "flags": selectors.flags(request.actor)[:20],
        },
    )


@staff_required
def board(request):
    require_perm(request.actor, "timebank.view_service")
    open_services = selectors.services(request.actor, state=ServiceState.OPEN).order_by(
        "starts_at"
    )[:30]
    rows = [(s, selectors.candidates_for(s, limit=3)) for s in open_services]
    review = selectors.services(request.actor).filter(
        state__in=[ServiceState.AWAITING_REVIEW, ServiceState.DISPUTED]
    )
    awaiting_elder = selectors.services(request.actor, state=ServiceState.AWAITING_ELDER)
    query = (request.GET.get("q") or "").strip()
    elders = []
    if query and request.actor.has_perm("timebank.request"):
        elders = Person.objects.visible_to(request.actor, "timebank.request").filter(
            Q(name__contains=query) | Q(phone__endswith=query)
        )[:10]
    return render(
        request,
        "timebank/board.html",
        {
            "rows": rows,
            "review": review[:50],
            "awaiting_elder": awaiting_elder[:50],
            "can_review": request.actor.has_perm("timebank.review"),
            "elders": elders,
            "query": query,
            "form": RequestForm(
                initial={"start": timezone.localtime() + datetime.timedelta(days=1)}
            ),
        },
    )


@staff_required
@require_POST
def file_request(request):
    elder = get_visible_or_404(
        Person, request.actor, "timebank.request", pk=request.POST.get("elder")
    )
    form = RequestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _run(
            request,
            services.request_create,
            _("已为 %(name)s 发布需求") % {"name": elder.name},
            elder=elder,
            category_code=data["category"].code,
            start=data["start"],
            minutes=data["minutes"],
            note=data["note"],
        )
    else:
        messages.error(request, _("请填写完整"))
    return redirect("console:timebank:board")


@staff_required
@require_POST
def review(request, pk):
    obj = get_visible_or_404(Service, request.actor, "timebank.review", pk=pk)
    approve = request.POST.get("decision") == "approve"
    _run(
        request,
        services.service_review,
        _("已审核入账") if approve else _("已退回"),
        service=obj,
        approve=approve,
        reason=request.POST.get("reason", ""),
    )
    return redirect("console:timebank:board")


@staff_required
@require_POST
def proxy_confirm(request, pk):
    """A grid worker confirms for an elder who does not use a phone (first level)."""
    obj = get_visible_or_404(Service, request.actor, "timebank.request", pk=pk)
    _run(request, services.service_confirm, _("已代老人确认"), service=obj)
    return redirect("console:timebank:board")


@staff_required
def volunteers(request):
    require_perm(request.actor, "timebank.view_volunteer")
    if request.method == "POST":
        obj = get_visible_or_404(
            Volunteer, request.actor, "timebank.verify_volunteer", pk=request.POST.get("volunteer")
        )
        _run(
            request,
            services.volunteer_verify,
            _("已处理"),
            volunteer=obj,
            approve=request.POST.get("decision") == "approve",
        )
        return redirect("console:timebank:volunteers")
    qs = (
        Volunteer.objects.visible_to(request.actor, "timebank.view_volunteer")
        .select_related("person", "organisation", "unit")
        .order_by("status", "-joined_at")
    )
    return render(
        request,
        "timebank/volunteers.html",
        {
            "pending": selectors.pending_volunteers(request.actor)[:50],
            "page": paginate(request, qs),
        },
    )


@staff_required
def pool(request):
    require_perm(request.actor, "timebank.review")
    if request.method == "POST":
        if "gift" in request.POST:
            obj = get_visible_or_404(
                Gift, request.actor, "timebank.review", pk=request.POST["gift"]
            )
            _run(
                request,
                services.gift_decide,
                _("已处理"),
                gift=obj,
                approve=request.POST.get("decision") == "approve",
            )
        elif "flag" in request.POST:
            obj = get_visible_or_404(Flag, request.actor, pk=request.POST["flag"])
            _run(request, services.flag_resolve, _("已处理"), flag=obj)
        else:
            elder = get_visible_or_404(
                Person, request.actor, "timebank.allocate_pool", pk=request.POST.get("elder")
            )
            try:
                minutes = int(Decimal(request.POST.get("hours", "0")) * 60)
            except ArithmeticError:
                minutes = 0
            _run(
                request,
                services.pool_allocate,
                _("已分配"),
                elder=elder,
                minutes=minutes,
                reason=request.POST.get("reason", ""),
            )
        return redirect("console:timebank:pool")
    return render(
        request,
        "timebank/pool.html",
        {"gifts": selectors.gifts_pending(request.actor), "flags": selectors.flags(request.actor)},
    )
