from ninja import Router, Schema

from linli.core.scoping import get_visible_or_404
from linli.lottery import selectors
from linli.lottery.models import Draw

router = Router(tags=["lottery"])


class DrawOut(Schema):
    code: str
    title: str
    slots: int
    status: str
    algorithm: str
    seed_hash: str
    public_value: str
    entries_digest: str
    seed: str
    verified: bool


@router.get("/draws/{code}", response=DrawOut)
def get_draw(request, code: str):
    draw = get_visible_or_404(Draw, request.actor, code=code)
    return DrawOut(
        code=draw.code,
        title=draw.title,
        slots=draw.slots,
        status=draw.status,
        algorithm=draw.algorithm,
        seed_hash=draw.seed_hash,
        public_value=draw.public_value,
        entries_digest=draw.entries_digest,
        seed=draw.revealed_seed,
        verified=selectors.draw_verify(draw),
    )
