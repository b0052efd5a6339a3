from django.shortcuts import get_list_or_404
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from linli.core.scoping import get_visible_or_404
from linli.org import selectors, services
from linli.org.models import Estate, Household, OrgUnit, Person, Tag
from linli.org.schemas import (
    EstateOut,
    HouseholdOut,
    MoveIn,
    PersonIn,
    PersonOut,
    PersonPatch,
    RevealIn,
    RevealOut,
    UnitOut,
)

router = Router(tags=["org"])


class PeopleFilter(Schema):
    q: str | None = None
    tag: str | None = None
    status: str | None = "active"


def _tags(codes):
    return get_list_or_404(Tag, code__in=codes) if codes else []


@router.get("/units", response=list[UnitOut])
@paginate(PageNumberPagination, page_size=100)
def list_units(request):
    return selectors.units(request.actor)


@router.get("/units/{code}", response=UnitOut)
def get_unit(request, code: str):
    return get_visible_or_404(OrgUnit, request.actor, code=code)


@router.get("/estates", response=list[EstateOut])
@paginate(PageNumberPagination, page_size=50)
def list_estates(request, q: str | None = None):
    return selectors.estates(request.actor, query=q)


@router.get("/estates/{code}/households", response=list[HouseholdOut])
@paginate(PageNumberPagination, page_size=100)
def list_households(request, code: str):
    estate = get_visible_or_404(Estate, request.actor, code=code)
    return (
        Household.objects.visible_to(request.actor)
        .filter(building__estate=estate)
        .select_related("building__estate", "stairwell")
    )


@router.get("/people", response=list[PersonOut])
@paginate(PageNumberPagination, page_size=50)
def list_people(request, filters: Query[PeopleFilter]):
    return selectors.people(
        request.actor, query=filters.q, tag=filters.tag, status=filters.status
    ).prefetch_related("tags")


@router.get("/people/{int:pk}", response=PersonOut)
def get_person(request, pk: int):
    return get_visible_or_404(Person.objects.prefetch_related("tags"), request.actor, pk=pk)


@router.post("/households/{int:pk}/people", response={201: PersonOut})
def register_person(request, pk: int, payload: PersonIn):
    household = get_visible_or_404(Household, request.actor, pk=pk)
    data = payload.dict()
    data["tags"] = _tags(data["tags"])
    return 201, services.person_register(actor=request.actor, household=household, **data)


@router.patch("/people/{int:pk}", response=PersonOut)
def update_person(request, pk: int, payload: PersonPatch):
    person = get_visible_or_404(Person, request.actor, pk=pk)
    data = payload.dict(exclude_none=True)
    if "tags" in data:
        data["tags"] = _tags(data["tags"])
    return services.person_update(actor=request.actor, person=person, **data)


@router.post("/people/{int:pk}/move", response=PersonOut)
def move_person(request, pk: int, payload: MoveIn):
    person = get_visible_or_404(Person, request.actor, pk=pk)
    household = get_visible_or_404(Household, request.actor, pk=payload.household_id)
    return services.person_move(
        actor=request.actor,
        person=person,
        to_household=household,
        relation=payload.relation,
        on=payload.on,
    )


@router.post("/people/{int:pk}/reveal", response=RevealOut)
def reveal(request, pk: int, payload: RevealIn):
    """The clear ID number or phone; needs the unmask permission and is audited."""
    person = get_visible_or_404(Person, request.actor, pk=pk)
    value = services.person_reveal(actor=request.actor, person=person, field=payload.field)
    return {"field": payload.field, "value": value}
