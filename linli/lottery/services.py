"""Every write to draws. Organisers need ``lottery.manage_draw`` on the draw's unit."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit
from linli.core.locking import lock_rows
from linli.core.scoping import authorize
from linli.lottery import algorithm
from linli.lottery.choices import DrawStatus
from linli.lottery.models import Draw, Entry


def _locked(draw):
    return lock_rows(Draw, [draw.pk])[draw.pk]


def _unit_check(actor, unit):
    """A new draw has no row to authorize against: check the grant on its unit instead."""
    if actor.is_superuser:
        return
    if not any(unit.path.startswith(p) for p in actor.unit_paths("lottery.manage_draw")):
        raise PermissionDenied


@transaction.atomic
def draw_create(*, actor, unit, title, slots, source="", now=None):
    """Open a draw; a fresh secret seed is generated and only its SHA-256 is published."""
    _unit_check(actor, unit)
    if int(slots) < 1:
        raise ValidationError(_("名额至少为1"))
    seed = algorithm.new_seed()
    draw = Draw(
        code=secrets.token_hex(5),
        unit=unit,
        title=title,
        slots=int(slots),
        source=source,
        seed=seed,
        seed_hash=algorithm.seed_hash(seed),
        created_by=actor.user if actor.user_id else None,
        created_at=now or timezone.now(),
    )
    draw.full_clean()
    draw.save()
    audit.record(actor, "lottery.create", draw, seed_hash=draw.seed_hash, slots=draw.slots)
    return draw


@transaction.atomic
def draw_enter(*, actor, draw, label, ref, tier=0, weight=1, now=None):
    authorize(actor, "lottery.manage_draw", draw)
    draw = _locked(draw)
    if draw.status != DrawStatus.OPEN:
        raise ValidationError(_("报名已截止"))
    ref = str(ref).strip()
    if not ref or "|" in ref:
        raise ValidationError(_("编号不能为空，也不能包含“|”"))
    if Entry.objects.filter(draw=draw, ref=ref).exists():
        raise ValidationError(_("同一编号已报名"))
    entry = Entry(
        draw=draw,
        label=label,
        ref=ref,
        tier=int(tier),
        weight=int(weight),
        created_at=now or timezone.now(),
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def draw_close(*, actor, draw, public_value="", now=None):
    """Close entries and fix the list by its digest.

    ``public_value`` is a value nobody could know when the seed was committed (e.g. a number
    read out at the meeting or a published lottery result); it is mixed into the key.
    """
    authorize(actor, "lottery.manage_draw", draw)
    draw = _locked(draw)
    if draw.status != DrawStatus.OPEN:
        raise ValidationError(_("报名已截止"))
    draw.public_value = str(public_value).strip()[:200]
    draw.entries_digest = algorithm.entries_digest(_published(draw))
    draw.status = DrawStatus.CLOSED
    draw.closed_at = now or timezone.now()
    draw.save()
    audit.record(actor, "lottery.close", draw, entries_digest=draw.entries_digest)
    return draw


def _published(draw):
    return list(Entry.objects.filter(draw=draw).values_list("ref", "tier", "weight"))


@transaction.atomic
def draw_run(*, actor, draw, now=None):
    """Reveal the seed and record the positions of every entry."""
    authorize(actor, "lottery.manage_draw", draw)
    draw = _locked(draw)
    if draw.status != DrawStatus.CLOSED:
        raise ValidationError(_("只能对已截止报名的抽签开奖"))
    refs = algorithm.order(draw.seed, draw.public_value, _published(draw))
    entries = {e.ref: e for e in Entry.objects.filter(draw=draw)}
    for position, ref in enumerate(refs, start=1):
        entry = entries[ref]
        entry.position = position
        entry.won = position <= draw.slots
    Entry.objects.bulk_update(entries.values(), ["position", "won"])
    draw.status = DrawStatus.DRAWN
    draw.drawn_at = now or timezone.now()
    draw.save()
    audit.record(actor, "lottery.run", draw, seed=draw.seed, winners=refs[: draw.slots])
    return draw
