from linli.lottery import algorithm
from linli.lottery.models import DrawState


def draw_verify(draw):
    """True when the revealed seed matches the published hash and the recorded order is what
    the algorithm gives from the published data."""
    if draw.state != DrawState.DRAWN:
        return False
    if algorithm.seed_hash(draw.seed) != draw.seed_hash:
        return False
    rows = draw.entries.values("ref", "tier", "weight")
    recomputed = [ref for ref, _key in algorithm.order(draw.seed, draw.public_value, rows)]
    return recomputed == list(draw.result)


def public_record(draw):
    """What the public page shows and offers for download (no seed before the draw)."""
    entries = list(draw.entries.values("ref", "label", "tier", "weight"))
    record = {
        "code": draw.code,
        "title": draw.title,
        "slots": draw.slots,
        "algorithm": draw.algorithm,
        "seed_hash": draw.seed_hash,
        "state": draw.state,
        "public_value": draw.public_value,
        "entries": entries,
    }
    if draw.revealed:
        record["seed"] = draw.seed
        record["result"] = draw.result
        keys = dict(algorithm.order(draw.seed, draw.public_value, entries))
        record["keys"] = keys
    return record
