from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from linli.core.scoping import get_visible_or_404
from linli.org.models import OrgUnit, Person
from linli.points import selectors, services
from linli.points.models import Award, Item, Redemption, Rule
from linli.points.schemas import (
    ActivityIn,
    ActivityOut,
    AwardIn,
    AwardOut,
    CheckInOut,
    ClaimIn,
    CodeIn,
    DecideIn,
    HistoryOut,
    ItemOut,
    RedemptionOut,
    RuleOut,
    SummaryOut,
)

router = Router(tags=["points"])


def _me(request):
    if not request.actor.person_id:
        raise PermissionDenied
    return Person.objects.select_related("household__building__estate__community").get(
        pk=request.actor.person_id
    )


def _rule_for_me(person, rule_id):
    rules = {r.pk: r for r in selectors.rules_for_person(person)}
    if rule_id not in rules:
        raise Http404
    return rules[rule_id]


@router.get("/me", response=SummaryOut)
def me(request):
    return selectors.summary(_me(request))


@router.get("/me/history", response=list[HistoryOut])
def my_history(request, limit: int = 50):
    rows = selectors.history(_me(request), limit=min(max(limit, 1), 500))
    return [
        {
            "id": r["transfer"].pk,
            "amount": r["amount"],
            "kind": r["transfer"].kind,
            "memo": r["transfer"].memo,
            "at": r["transfer"].created_at,
        }
        for r in rows
    ]


@router.get("/me/rules", response=list[RuleOut])
def my_rules(request):
    return selectors.rules_for_person(_me(request))


@router.get("/me/redemptions", response=list[RedemptionOut])
def my_redemptions(request):
    return selectors.my_redemptions(_me(request))


@router.post("/checkin", response=CheckInOut)
def checkin(request, payload: CodeIn):
    return services.checkin(actor=request.actor, code=payload.code)


@router.post("/claims", response=AwardOut)
def claim(request, payload: ClaimIn):
    person = _me(request)
    return services.claim_submit(
        actor=request.actor,
        rule=_rule_for_me(person, payload.rule_id),
        quantity=payload.quantity,
        note=payload.note,
    )


@router.get("/items", response=list[ItemOut])
def items(request):
    return selectors.catalogue(request.actor)


@router.post("/items/{item_id}/redeem", response=RedemptionOut)
def redeem(request, item_id: int):
    item = get_visible_or_404(Item, request.actor, pk=item_id)
    return services.redeem(actor=request.actor, item=item)


@router.post("/redemptions/{redemption_id}/cancel", response=RedemptionOut)
def cancel(request, redemption_id: int):
    redemption = get_visible_or_404(Redemption, request.actor, pk=redemption_id)
    return services.redemption_cancel(actor=request.actor, redemption=redemption)


@router.post("/fulfil", response=RedemptionOut)
def fulfil(request, payload: CodeIn):
    return services.fulfil(actor=request.actor, code=payload.code)


@router.get("/awards", response=list[AwardOut])
@paginate(PageNumberPagination, page_size=50)
def awards(request, state: str | None = None):
    return selectors.awards(request.actor, state=state)


@router.post("/awards", response=AwardOut)
def award(request, payload: AwardIn):
    person = get_visible_or_404(Person, request.actor, "points.award", pk=payload.person_id)
    return services.award_by_staff(
        actor=request.actor,
        person=person,
        rule=_rule_for_me(person, payload.rule_id),
        quantity=payload.quantity,
        note=payload.note,
        key=payload.key and f"api:{payload.key}",
    )


@router.post("/awards/{award_id}/decide", response=AwardOut)
def decide(request, award_id: int, payload: DecideIn):
    obj = get_visible_or_404(Award, request.actor, "points.approve", pk=award_id)
    return services.claim_decide(
        actor=request.actor, award_obj=obj, approve=payload.approve, reason=payload.reason
    )


@router.get("/activities", response=list[ActivityOut])
@paginate(PageNumberPagination, page_size=50)
def activities(request):
    return selectors.activities(request.actor)


@router.post("/activities", response=ActivityOut)
def activity_create(request, payload: ActivityIn):
    unit = get_visible_or_404(
        OrgUnit, request.actor, "points.manage_activities", pk=payload.unit_id
    )
    rule = get_object_or_404(Rule, pk=payload.rule_id, active=True)
    return services.activity_create(
        actor=request.actor,
        unit=unit,
        rule=rule,
        title=payload.title,
        place=payload.place,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
    )
