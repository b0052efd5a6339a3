import datetime

from ninja import Router, Schema

from linli.core.scoping import get_visible_or_404
from linli.socialorgs import selectors, services
from linli.socialorgs.models import Activity

router = Router(tags=["socialorgs"])


class ActivityOut(Schema):
    id: int
    title: str
    organisation_id: int
    place: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    confirmed: int


class SignupOut(Schema):
    id: int
    activity_id: int
    state: str


class CodeIn(Schema):
    code: str


@router.get("/activities", response=list[ActivityOut])
def activities(request):
    return selectors.activities(request.actor, upcoming=True)[:200]


@router.post("/activities/{activity_id}/signup", response=SignupOut)
def signup(request, activity_id: int):
    activity = get_visible_or_404(
        Activity, request.actor, "socialorgs.view_activity", pk=activity_id
    )
    return services.signup(actor=request.actor, activity=activity)


@router.post("/checkin", response=SignupOut)
def checkin(request, payload: CodeIn):
    return services.check_in(actor=request.actor, code=payload.code)


@router.get("/stats")
def stats(request):
    data = selectors.stats(request.actor)
    return {
        "organisations": data["orgs"],
        "members": data["members"],
        "attended_this_year": data["attended"],
        "by_field": data["by_field"],
        "by_legal": data["by_legal"],
    }
