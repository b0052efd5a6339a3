"""Parking allocation rounds drawn with ``linli.lottery``.

Eligibility, documented for residents on the round page:
- accessible spaces go only to households with a member holding a disability certificate (the
  ``disabled`` tag), in their own draw; such a household applies for an accessible space or a
  general one for its first space, not both;
- general draw tiers: 0 owners' first space, 1 other households' first space, 2 second spaces
  (so no household gets a second space before every first-space applicant has been drawn).

Rotation (optional, for later years): a round created with ``rotate_from`` a previous round of
the same estate moves households that won a general space in that round behind everyone else in
their tier (tier + 3), so that spaces rotate to those who drew none last time.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit
from linli.core.locking import lock_rows
from linli.core.notify import notify
from linli.core.scoping import SYSTEM, authorize
from linli.council import choices as c
from linli.council.models import ParkingApplication, ParkingObjection, ParkingRound
from linli.lottery import services as lottery
from linli.org.choices import OWNING_RELATIONS
from linli.org.models import HouseholdMember

MANAGE = "council.manage_council"
TIER_OWNER, TIER_OTHER, TIER_SECOND = 0, 1, 2
ROTATION_STEP = 3


@transaction.atomic
def round_create(*, actor, council, title, spaces, accessible_spaces=0, rotate_from=None, now=None):
    authorize(actor, MANAGE, council)
    if council.estate_id is None:
        raise ValidationError(_("车位分配须在小区议事会下进行"))
    if rotate_from is not None and (
        rotate_from.estate_id != council.estate_id
        or rotate_from.status != c.ParkingStatus.PUBLISHED
    ):
        raise ValidationError(_("轮换只能参照本小区已公示的上一轮"))
    now = now or timezone.now()
    source = f"council.parking:{council.pk}"
    general = lottery.draw_create(
        actor=SYSTEM,
        unit=council.unit,
        title=title + _("（普通车位）"),
        slots=spaces,
        source=source,
        now=now,
    )
    accessible = None
    if accessible_spaces:
        accessible = lottery.draw_create(
            actor=SYSTEM,
            unit=council.unit,
            title=title + _("（无障碍车位）"),
            slots=accessible_spaces,
            source=source,
            now=now,
        )
    parking_round = ParkingRound(
        council=council,
        estate=council.estate,
        title=title,
        spaces=spaces,
        accessible_spaces=accessible_spaces,
        general_draw=general,
        accessible_draw=accessible,
        rotate_from=rotate_from,
        created_at=now,
    )
    parking_round.full_clean()
    parking_round.save()
    audit.record(actor, "council.parking_create", parking_round, seed_hash=general.seed_hash)
    return parking_round


def _label(household):
    room = household.room or ""
    return f"{household.building.name}{room[:1]}*{room[-1:]}"


@transaction.atomic
def round_apply(*, actor, parking_round, household, second=False, accessible=False, now=None):
    """A resident applies for their own household; staff may apply on behalf of one."""
    staff = actor.can(MANAGE, parking_round.council)
    if not staff and household.pk not in actor.household_ids:
        raise PermissionDenied
    parking_round = lock_rows(ParkingRound, [parking_round.pk])[parking_round.pk]
    if parking_round.status != c.ParkingStatus.OPEN:
        raise ValidationError(_("报名已截止"))
    if household.building.estate_id != parking_round.estate_id:
        raise ValidationError(_("只有本小区住户可以申请"))
    members = HouseholdMember.objects.filter(household=household, until__isnull=True)
    if accessible:
        if second or parking_round.accessible_draw_id is None:
            raise ValidationError(_("本轮没有可申请的无障碍车位"))
        if not members.filter(person__tags__code="disabled").exists():
            raise ValidationError(_("无障碍车位仅限持残疾人证的家庭申请"))
    if (
        second
        and not ParkingApplication.objects.filter(
            round=parking_round, household=household, second=False
        ).exists()
    ):
        raise ValidationError(_("请先申请第一个车位"))
    owner = members.filter(relation__in=OWNING_RELATIONS).exists()
    tier = TIER_SECOND if second else (TIER_OWNER if owner else TIER_OTHER)
    if not accessible and _won_last_time(parking_round.rotate_from, household):
        tier += ROTATION_STEP
    ref = f"hh{household.pk}" + ("-2" if second else "")
    try:
        with transaction.atomic():
            application = ParkingApplication.objects.create(
                round=parking_round,
                household=household,
                second=second,
                accessible=accessible,
                tier=0 if accessible else tier,
                ref=ref,
                applied_by=actor.user,
                created_at=now or timezone.now(),
            )
    except IntegrityError as exc:
        raise ValidationError(_("该户已申请过")) from exc
    draw = parking_round.accessible_draw if accessible else parking_round.general_draw
    lottery.draw_enter(
        actor=SYSTEM, draw=draw, label=_label(household), ref=ref, tier=application.tier
    )
    return application


def _won_last_time(previous, household):
    if previous is None:
        return False
    from linli.lottery.models import Entry

    refs = ParkingApplication.objects.filter(
        round=previous, household=household, accessible=False
    ).values_list("ref", flat=True)
    return Entry.objects.filter(
        draw_id=previous.general_draw_id, ref__in=list(refs), won=True
    ).exists()


@transaction.atomic
def round_draw(*, actor, parking_round, public_value="", now=None):
    """Close applications and run both draws (accessible first)."""
    authorize(actor, MANAGE, parking_round.council)
    parking_round = lock_rows(ParkingRound, [parking_round.pk])[parking_round.pk]
    if parking_round.status != c.ParkingStatus.OPEN:
        raise ValidationError(_("本轮已开奖"))
    now = now or timezone.now()
    for draw in filter(None, [parking_round.accessible_draw, parking_round.general_draw]):
        lottery.draw_close(actor=SYSTEM, draw=draw, public_value=public_value, now=now)
        lottery.draw_run(actor=SYSTEM, draw=draw, now=now)
    parking_round.status = c.ParkingStatus.PUBLISHED
    parking_round.objection_until = now + timedelta(days=parking_round.council.objection_days)
    parking_round.save()
    audit.record(actor, "council.parking_draw", parking_round)
    return parking_round


@transaction.atomic
def round_object(*, actor, parking_round, text, now=None):
    authorize(actor, "council.propose", parking_round)
    now = now or timezone.now()
    if parking_round.status != c.ParkingStatus.PUBLISHED or now > parking_round.objection_until:
        raise ValidationError(_("公示期已结束，不能再提出异议"))
    if not text.strip():
        raise ValidationError(_("请填写异议内容"))
    return ParkingObjection.objects.create(
        round=parking_round, user=actor.user, text=text.strip(), created_at=now
    )


@transaction.atomic
def objection_answer(*, actor, objection, answer):
    authorize(actor, MANAGE, objection.round)
    if not answer.strip():
        raise ValidationError(_("请填写答复"))
    objection.answer = answer.strip()
    objection.save(update_fields=["answer"])
    notify([objection.user], _("您对车位分配的异议已答复"), objection.answer, kind="council")
    audit.record(actor, "council.parking_answer", objection.round, objection=objection.pk)
    return objection
