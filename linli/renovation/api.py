from ninja import Router, Schema

from linli.core.scoping import get_visible_or_404
from linli.renovation import selectors, services
from linli.renovation.models import Vote

router = Router(tags=["renovation"])


class ProjectOut(Schema):
    id: int
    title: str
    stage: str
    estate_id: int


class BallotIn(Schema):
    choice: str


@router.get("/projects", response=list[ProjectOut])
def projects(request):
    return selectors.projects(request.actor)[:200]


@router.get("/votes/{vote_id}/tally")
def tally(request, vote_id: int):
    """The live (or, once closed, recomputed) tally: anyone who may see the vote may recount."""
    return services.tally(get_visible_or_404(Vote, request.actor, pk=vote_id))


@router.post("/votes/{vote_id}/ballot")
def ballot(request, vote_id: int, payload: BallotIn):
    vote = get_visible_or_404(Vote, request.actor, pk=vote_id)
    made = services.ballot_online(actor=request.actor, vote=vote, choice=payload.choice)
    return {"id": made.pk, "choice": made.choice}
