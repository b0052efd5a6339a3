from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core.pages import paginate, wants_export, xlsx_response
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.org import selectors, services
from linli.org.forms import MoveForm, PersonForm, RegisterForm
from linli.org.models import Building, Estate, Household, OrgUnit, Person


@staff_required
def units(request):
    tree = selectors.units(request.actor)
    return render(request, "org/units.html", {"units": tree})


@staff_required
def unit_detail(request, code):
    unit = get_visible_or_404(OrgUnit, request.actor, code=code)
    children = selectors.units(request.actor).filter(
        path__startswith=unit.path, depth=unit.depth + 1
    )
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "estates": selectors.estates(request.actor).filter(
                community__path__startswith=unit.path
            )[:50],
        },
    )


@staff_required
def estates(request):
    qs = selectors.estates(request.actor, query=request.GET.get("q") or None)
    if wants_export(request):
        require_perm(request.actor, "org.export")
        headers = [
            _("小区"),
            _("编码"),
            _("社区"),
            _("地址"),
            _("建成年份"),
            _("物业公司"),
            _("楼栋数"),
        ]
        rows = (
            (
                e.name,
                e.code,
                e.community.name,
                e.address,
                e.built_year,
                str(e.property_company or ""),
                e.building_count,
            )
            for e in qs
        )
        return xlsx_response("estates", headers, rows)
    return render(
        request,
        "org/estates.html",
        {"page": paginate(request, qs), "can_export": request.actor.has_perm("org.export")},
    )


@staff_required
def estate_detail(request, code):
    estate = get_visible_or_404(
        Estate.objects.select_related("community"), request.actor, code=code
    )
    return render(
        request,
        "org/estate_detail.html",
        {"estate": estate, "buildings": selectors.buildings(request.actor, estate)},
    )


@staff_required
def building_detail(request, code):
    building = get_visible_or_404(
        Building.objects.select_related("estate", "grid"), request.actor, code=code
    )
    households = selectors.households(request.actor, building)
    if wants_export(request):
        require_perm(request.actor, "org.export")
        headers = [_("单元"), _("房号"), _("面积(㎡)"), _("在册居民")]
        rows = (
            (h.stairwell.name if h.stairwell_id else "", h.room, h.area, h.resident_count)
            for h in households
        )
        return xlsx_response(f"households-{building.code}", headers, rows)
    return render(
        request,
        "org/building_detail.html",
        {
            "building": building,
            "households": households,
            "can_export": request.actor.has_perm("org.export"),
        },
    )


@staff_required
def household_detail(request, pk):
    household = get_visible_or_404(
        Household.objects.select_related("building__estate", "building__grid", "stairwell"),
        request.actor,
        pk=pk,
    )
    can_register = request.actor.can("org.change_person", household.building)
    if request.method == "POST" and not can_register:
        raise PermissionDenied
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(
                actor=request.actor, household=household, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记 %s") % person.name)
            return redirect("console:org:household", pk=household.pk)
    return render(
        request,
        "org/household_detail.html",
        {
            "household": household,
            "members": selectors.memberships(request.actor, household=household),
            "form": form,
            "can_register": can_register,
            "can_view_people": request.actor.has_perm("org.view_person"),
        },
    )


_EXPORT_HEADERS = [
    _("姓名"),
    _("性别"),
    _("出生日期"),
    _("身份证号"),
    _("手机号"),
    _("小区"),
    _("楼栋"),
    _("单元"),
    _("房号"),
    _("标签"),
]


@staff_required
def people(request):
    qs = selectors.people(
        request.actor,
        query=request.GET.get("q") or None,
        tag=request.GET.get("tag") or None,
        status=request.GET.get("status", "active") or None,
    )
    if wants_export(request):
        require_perm(request.actor, "org.export")
        rows = (
            (
                p.name,
                p.get_gender_display(),
                p.birth_date,
                p.id_masked,
                p.phone_masked,
                p.household.building.estate.name,
                p.household.building.name,
                p.household.stairwell.name if p.household.stairwell_id else "",
                p.household.room,
                "、".join(t.name for t in p.tags.all()),
            )
            for p in qs.prefetch_related("tags").iterator(chunk_size=2000)
        )
        return xlsx_response("people", _EXPORT_HEADERS, rows)
    page = paginate(request, qs.prefetch_related("tags"))
    return render(
        request,
        "org/people.html",
        {
            "page": page,
            "tags": selectors.tags(),
            "can_export": request.actor.has_perm("org.export"),
        },
    )


@staff_required
def person_detail(request, pk):
    person = get_visible_or_404(
        Person.objects.select_related("household__building__estate", "household__stairwell"),
        request.actor,
        pk=pk,
    )
    actor = request.actor
    return render(
        request,
        "org/person_detail.html",
        {
            "person": person,
            "ties": selectors.memberships(actor, person=person),
            "can_change": actor.can("org.change_person", person),
            "can_unmask": actor.can("org.unmask_pii", person),
        },
    )


@staff_required
def person_edit(request, pk):
    person = get_visible_or_404(Person, request.actor, "org.change_person", pk=pk)
    initial = {
        "name": person.name,
        "phone": person.phone,
        "note": person.note,
        "tags": person.tags.all(),
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.actor, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("console:org:person", pk=person.pk)
    return render(request, "org/person_edit.html", {"person": person, "form": form})


@staff_required
def person_move(request, pk):
    person = get_visible_or_404(Person, request.actor, "org.change_person", pk=pk)
    households = Household.objects.visible_to(request.actor, "org.change_person").select_related(
        "building__estate", "stairwell"
    )
    form = MoveForm(request.POST or None, households=households)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_move(
                actor=request.actor,
                person=person,
                to_household=form.cleaned_data["household"],
                relation=form.cleaned_data["relation"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已办理迁居"))
            return redirect("console:org:person", pk=person.pk)
    return render(request, "org/person_move.html", {"person": person, "form": form})


@staff_required
@require_POST
def person_reveal(request, pk, field):
    """HTMX: swap a masked value for the clear one; the read is audited."""
    person = get_visible_or_404(Person, request.actor, pk=pk)
    value = services.person_reveal(actor=request.actor, person=person, field=field)
    return render(request, "org/_revealed.html", {"value": value})


@login_required
def my_household(request):
    overview = selectors.resident_overview(request.actor)
    members = []
    if overview:
        members = selectors.memberships(request.actor, household=overview["household"]).filter(
            until__isnull=True
        )
    return render(
        request, "org/resident_household.html", {"overview": overview, "members": members}
    )
