"""Writes of the lottery: create (commit), enter, close (fix the public value), run (reveal)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit
from linli.lottery import algorithm
from linli.lottery.models import Draw, DrawState, Entry


@transaction.atomic
def draw_create(*, actor, unit, title, slots, source="", code=None):
    if slots < 1:
        raise ValidationError(_("名额至少为 1"))
    seed = secrets.token_hex(32)
    draw = Draw.objects.create(
        code=code or secrets.token_urlsafe(8).lower().replace("_", "x").replace("-", "y"),
        unit=unit,
        title=title,
        slots=slots,
        source=source,
        seed=seed,
        seed_hash=algorithm.seed_hash(seed),
    )
    audit.record(actor, "lottery.create", draw, seed_hash=draw.seed_hash)
    return draw


def _lock(draw):
    return Draw.objects.select_for_update().get(pk=draw.pk)


@transaction.atomic
def draw_enter(*, actor, draw, label, ref, tier=0, weight=1):
    draw = _lock(draw)
    if draw.state != DrawState.OPEN:
        raise ValidationError(_("报名已截止"))
    try:
        with transaction.atomic():
            return Entry.objects.create(
                draw=draw, ref=ref, label=label[:60], tier=tier, weight=weight
            )
    except IntegrityError as exc:
        raise ValidationError(_("已经报名")) from exc


@transaction.atomic
def draw_withdraw(*, actor, draw, ref):
    draw = _lock(draw)
    if draw.state != DrawState.OPEN:
        raise ValidationError(_("报名已截止，不能退出"))
    Entry.objects.filter(draw=draw, ref=ref).delete()


@transaction.atomic
def draw_close(*, actor, draw, public_value=""):
    """Entries are frozen. The public value (e.g. numbers called out at the meeting, or a
    published lottery result) is fixed now, after the seed hash was published, so neither the
    organiser nor the entrants can steer the outcome alone."""
    draw = _lock(draw)
    if draw.state != DrawState.OPEN:
        raise ValidationError(_("已经截止"))
    draw.public_value = public_value.strip() or timezone.now().isoformat()
    draw.state = DrawState.CLOSED
    draw.closed_at = timezone.now()
    draw.save(update_fields=["public_value", "state", "closed_at"])
    audit.record(actor, "lottery.close", draw, public_value=draw.public_value)
    return draw


@transaction.atomic
def draw_run(*, actor, draw):
    """Reveal the seed and record the order; returns the winning refs (the first ``slots``)."""
    draw = _lock(draw)
    if draw.state == DrawState.OPEN:
        raise ValidationError(_("请先截止报名"))
    if draw.state == DrawState.DRAWN:
        return draw.result[: draw.slots]
    rows = draw.entries.values("ref", "tier", "weight")
    draw.result = [ref for ref, _key in algorithm.order(draw.seed, draw.public_value, rows)]
    draw.revealed = True
    draw.state = DrawState.DRAWN
    draw.drawn_at = timezone.now()
    draw.save(update_fields=["result", "revealed", "state", "drawn_at"])
    audit.record(actor, "lottery.run", draw, winners=draw.result[: draw.slots])
    return draw.result[: draw.slots]
