from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from linli.council import selectors, services

router = Router(tags=["council"])


class CouncilOut(Schema):
    id: int
    name: str
    cosign_threshold: int
    majority: str
    objection_days: int


class TopicOut(Schema):
    id: int
    council_id: int
    title: str
    body: str
    source: str
    status: str
    reason: str
    cosign_count: int
    created_at: datetime


class TopicIn(Schema):
    council: int
    title: str
    body: str = ""


class ResolutionOut(Schema):
    id: int
    topic_id: int
    meeting_id: int
    text: str
    status: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    objection_until: datetime | None


class VoteIn(Schema):
    choice: str


class ObjectionIn(Schema):
    text: str


@router.get("/councils", response=list[CouncilOut])
def list_councils(request):
    return list(selectors.councils(request.actor))


@router.get("/topics", response=list[TopicOut])
def list_topics(request, council: int | None = None):
    qs = selectors.topics(request.actor)
    return list(qs.filter(council_id=council) if council else qs[:200])


@router.get("/topics/{pk}", response=TopicOut)
def get_topic(request, pk: int):
    return get_object_or_404(selectors.topics(request.actor), pk=pk)


@router.post("/topics", response={201: TopicOut})
def propose(request, data: TopicIn):
    council = selectors.council_or_404(request.actor, data.council)
    return 201, services.topic_propose(
        actor=request.actor, council=council, title=data.title, body=data.body
    )


@router.post("/topics/{pk}/cosign", response=TopicOut)
def cosign(request, pk: int):
    topic = get_object_or_404(selectors.topics(request.actor), pk=pk)
    return services.topic_cosign(actor=request.actor, topic=topic)


@router.get("/resolutions", response=list[ResolutionOut])
def list_resolutions(request):
    return list(selectors.resolutions(request.actor)[:200])


@router.post("/resolutions/{pk}/vote")
def vote(request, pk: int, data: VoteIn):
    resolution = get_object_or_404(selectors.resolutions(request.actor), pk=pk)
    services.vote_cast(actor=request.actor, resolution=resolution, choice=data.choice)
    return {"ok": True}


@router.post("/resolutions/{pk}/objections")
def object_(request, pk: int, data: ObjectionIn):
    resolution = get_object_or_404(selectors.resolutions(request.actor), pk=pk)
    objection = services.objection_file(actor=request.actor, resolution=resolution, text=data.text)
    return {"id": objection.pk}
