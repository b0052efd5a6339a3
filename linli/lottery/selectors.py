"""Reads of draws. The public page and ``draw_verify`` use only published data."""

from dataclasses import dataclass, field

from linli.lottery import algorithm
from linli.lottery.choices import DrawStatus
from linli.lottery.models import Draw, Entry


def draws(actor):
    return Draw.objects.visible_to(actor).select_related("unit")


def public_draw(code):
    """Draws are public by design: anyone with the code sees the page (entries pseudonymised)."""
    return Draw.objects.filter(code=code).first()


def published_entries(draw):
    return list(Entry.objects.filter(draw=draw).order_by("position", "ref"))


@dataclass
class Verification:
    """The outcome of re-running a draw from what is published."""

    seed_matches: bool = False
    digest_matches: bool = False
    order_matches: bool = False
    recomputed: list = field(default_factory=list)
    reason: str = ""

    @property
    def ok(self):
        return self.seed_matches and self.digest_matches and self.order_matches


def verify(draw, seed=None):
    """Recompute the draw; ``seed`` defaults to the revealed one (a resident may type theirs)."""
    result = Verification()
    if draw.status != DrawStatus.DRAWN:
        result.reason = "not_drawn"
        return result
    seed = draw.seed if seed is None else seed.strip()
    entries = published_entries(draw)
    triples = [(e.ref, e.tier, e.weight) for e in entries]
    result.seed_matches = algorithm.seed_hash(seed) == draw.seed_hash
    result.digest_matches = algorithm.entries_digest(triples) == draw.entries_digest
    result.recomputed = algorithm.order(seed, draw.public_value, triples)
    stored = [e.ref for e in sorted(entries, key=lambda e: (e.position or 0, e.ref))]
    winners = {e.ref for e in entries if e.won}
    result.order_matches = (
        result.recomputed == stored
        and winners == set(result.recomputed[: draw.slots])
        and all(e.position is not None for e in entries)
    )
    return result


def draw_verify(draw) -> bool:
    return verify(draw).ok
