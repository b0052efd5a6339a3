"""Every write of the points module. Points move only through ``linli.ledger``."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit, notify
from linli.core.locking import lock_rows
from linli.core.scoping import SYSTEM, authorize
from linli.ledger import services as ledger
from linli.ledger.choices import Unit
from linli.ledger.models import Account
from linli.points import conf
from linli.points.choices import (
    DEFAULT_RULES,
    AwardState,
    Expiry,
    Per,
    RedemptionState,
    Source,
)
from linli.points.models import Activity, Award, CheckIn, Item, Policy, Redemption, Rule


def rules_ensure():
    """Create the platform-default rules that are missing (idempotent; also a migration)."""
    for code, fields in DEFAULT_RULES.items():
        Rule.objects.get_or_create(unit=None, code=code, defaults=fields)


# --- accounts -------------------------------------------------------------------------------


def issuance_account():
    return ledger.account_get_or_create(unit=Unit.POINTS, code="points:issuance", floor=None)


def redeemed_account():
    return ledger.account_get_or_create(unit=Unit.POINTS, code="points:redeemed", floor=None)


def expired_account():
    return ledger.account_get_or_create(unit=Unit.POINTS, code="points:expired", floor=None)


def person_account(person):
    return ledger.account_get_or_create(owner=person, unit=Unit.POINTS)


# --- rules ----------------------------------------------------------------------------------


def community_of(person):
    household = person.household
    if household is None:
        return None
    return household.building.estate.community


def rule_for(person, code):
    """The active rule with ``code`` that applies to ``person``: community, street, default."""
    community = community_of(person)
    today = timezone.localdate()
    candidates = (
        Rule.objects.filter(code=code, active=True)
        .exclude(active_from__gt=today)
        .exclude(active_until__lt=today)
    )
    if community is not None:
        step = community.steplen
        paths = [community.path[:i] for i in range(step, len(community.path) + 1, step)]
        # The deepest unit's rule wins: community over street over district.
        found = candidates.filter(unit__path__in=paths).order_by("-unit__depth").first()
        if found is not None:
            return found
    return candidates.filter(unit__isnull=True).first()


@transaction.atomic
def rule_save(*, actor, unit, code, **fields):
    """Create or change a rule on ``unit``; a change bumps its version (stamped on awards)."""
    authorize(actor, "points.manage_rules", unit)
    rule = Rule.objects.filter(unit=unit, code=code).first()
    if rule is None:
        rule = Rule(unit=unit, code=code)
    else:
        rule.version += 1
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.full_clean()
    rule.save()
    audit.record(actor, "points.rule_save", rule, code=code, version=rule.version)
    return rule


# --- earning --------------------------------------------------------------------------------


def _points_for(rule, quantity):
    points = int((Decimal(rule.points) * Decimal(quantity)).to_integral_value())
    if points <= 0:
        raise ValidationError(_("数量太少，不足 1 积分"))
    return points


def _period_starts(day):
    return {
        "daily_limit": day,
        "weekly_limit": day - datetime.timedelta(days=day.weekday()),
        "monthly_limit": day.replace(day=1),
    }


def _cap_by_limits(rule, person, day, points):
    """Reduce ``points`` to what the rule's limits still allow (the caller holds the lock)."""
    for field, start in _period_starts(day).items():
        limit = getattr(rule, field)
        if limit is None:
            continue
        earned = (
            Award.objects.filter(
                person=person,
                rule__code=rule.code,
                state__in=[AwardState.GRANTED, AwardState.PENDING],
                earned_on__gte=start,
                earned_on__lte=day,
            ).aggregate(s=Sum("points"))["s"]
            or 0
        )
        points = min(points, max(limit - earned, 0))
    return points


def _grant(actor, award, at=None):
    award.transfer = ledger.transfer(
        actor=actor,
        debit=issuance_account(),
        credit=person_account(award.person),
        amount=award.points,
        kind="earn",
        key=f"points:award:{award.pk}",
        memo=f"{award.rule.name} {award.note}"[:200],
        rule=award.rule.code,
        rule_version=award.rule_version,
        at=at,
    )
    award.state = AwardState.GRANTED
    award.save(update_fields=["transfer", "state"])


def _create_award(
    *,
    actor,
    person,
    rule,
    key,
    quantity,
    source,
    ref="",
    note="",
    at=None,
    evidence=None,
    activity=None,
    pending=False,
):
    existing = Award.objects.filter(key=key).first()
    if existing is not None:
        return existing
    day = timezone.localdate(at) if at else timezone.localdate()
    points = _points_for(rule, quantity)
    # Serialise a person's earnings so that two awards at once cannot both fit under a limit.
    lock_rows(Account, [person_account(person).pk])
    existing = Award.objects.filter(key=key).first()
    if existing is not None:
        return existing
    points = _cap_by_limits(rule, person, day, points)
    if points <= 0:
        raise ValidationError(_("已达到该项积分的上限"), code="limit")
    award = Award(
        person=person,
        rule=rule,
        rule_version=rule.version,
        quantity=quantity,
        points=points,
        source=source,
        key=key,
        ref=ref,
        note=note[:200],
        activity=activity,
        earned_on=day,
        created_by=actor.user if actor.is_authenticated and actor.user else None,
    )
    if evidence:
        award.evidence = evidence
    award.full_clean(exclude=["transfer", "evidence"])
    try:
        with transaction.atomic():
            award.save()
    except IntegrityError:
        return Award.objects.get(key=key)
    if not pending:
        _grant(actor, award, at=at)
    return award


@transaction.atomic
def award(*, actor, person, rule_code, key, quantity=1, ref="", note="", at=None):
    """The hook other modules call: credit ``person`` under the rule ``rule_code``, once per
    ``key``. Returns None (and does nothing) when no such rule is active or the limit is reached.
    """
    rule = rule_for(person, rule_code)
    if rule is None:
        return None
    try:
        return _create_award(
            actor=actor,
            person=person,
            rule=rule,
            key=f"module:{key}",
            quantity=quantity,
            source=Source.MODULE,
            ref=ref,
            note=note,
            at=at,
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "limit":
            return None
        raise


@transaction.atomic
def award_by_staff(*, actor, person, rule, quantity=1, note="", key=None, at=None):
    authorize(actor, "points.award", person)
    if actor.person_id and actor.person_id == person.pk:
        raise ValidationError(_("不能给自己奖励积分"))
    made = _create_award(
        actor=actor,
        person=person,
        rule=rule,
        key=key or f"staff:{actor.user_id}:{person.pk}:{timezone.now().timestamp()}",
        quantity=quantity,
        source=Source.STAFF,
        note=note,
        at=at,
    )
    audit.record(actor, "points.award", made, points=made.points, rule=rule.code)
    return made


@transaction.atomic
def claim_submit(*, actor, rule, quantity=1, note="", evidence=None, key=None):
    """A resident asks for points for something they did; staff approve it."""
    person = _actor_person(actor)
    if not rule.claimable or not rule.active:
        raise ValidationError(_("该项目不能由居民申报"))
    if rule.needs_evidence and not evidence:
        raise ValidationError(_("请上传凭证照片"))
    return _create_award(
        actor=actor,
        person=person,
        rule=rule,
        key=key or f"claim:{person.pk}:{timezone.now().timestamp()}",
        quantity=quantity,
        source=Source.CLAIM,
        note=note,
        evidence=evidence,
        pending=rule.needs_approval,
    )


@transaction.atomic
def claim_decide(*, actor, award_obj, approve, reason=""):
    authorize(actor, "points.approve", award_obj)
    award_obj = Award.objects.select_for_update().get(pk=award_obj.pk)
    if award_obj.state != AwardState.PENDING:
        raise ValidationError(_("该申报已处理"))
    own_claim = actor.user_id is not None and award_obj.created_by_id == actor.user_id
    if own_claim or (actor.person_id and actor.person_id == award_obj.person_id):
        raise ValidationError(_("不能审核自己的申报"))
    if not approve and not reason.strip():
        raise ValidationError(_("请填写不通过的理由"))
    award_obj.decided_by = actor.user
    award_obj.reason = reason[:200]
    if approve:
        award_obj.save(update_fields=["decided_by", "reason"])
        _grant(actor, award_obj)
    else:
        award_obj.state = AwardState.REJECTED
        award_obj.save(update_fields=["decided_by", "reason", "state"])
    audit.record(actor, "points.claim_decide", award_obj, approve=approve)
    users = _users_of(award_obj.person)
    if approve:
        notify.notify(users, _("积分申报已通过"), _("获得 %(n)s 积分") % {"n": award_obj.points})
    else:
        notify.notify(users, _("积分申报未通过"), reason)
    return award_obj


def _users_of(person):
    from linli.accounts.models import User

    return list(User.objects.filter(person=person, is_active=True))


def _actor_person(actor):
    from linli.org.models import Person

    if not actor.person_id:
        raise PermissionDenied
    return Person.objects.select_related(
        "household__building__estate__community", "household__building__grid"
    ).get(pk=actor.person_id)


# --- activities -----------------------------------------------------------------------------


@transaction.atomic
def activity_create(*, actor, unit, rule, title, starts_at, ends_at, place="", organisation=None):
    authorize(actor, "points.manage_activities", unit)
    activity = Activity(
        unit=unit,
        rule=rule,
        title=title,
        place=place,
        starts_at=starts_at,
        ends_at=ends_at,
        organisation=organisation,
        created_by=actor.user,
    )
    activity.full_clean()
    activity.save()
    audit.record(actor, "points.activity_create", activity)
    return activity


def _activity_open(activity, now):
    # Residents arrive a little early and leave a little late; the QR works around the event.
    margin = datetime.timedelta(minutes=30)
    return activity.starts_at - margin <= now <= activity.ends_at + margin


@transaction.atomic
def checkin(*, actor, code, now=None):
    """Scan of the activity QR. First scan checks in (and, for per-time rules, awards); the
    second scan of an hourly activity checks out and awards the hours spent."""
    now = now or timezone.now()
    person = _actor_person(actor)
    activity = Activity.objects.select_related("rule", "unit").filter(code=code).first()
    if activity is None:
        raise ValidationError(_("二维码无效"))
    if not _activity_open(activity, now):
        raise ValidationError(_("不在活动签到时间内"))
    # Activities belong to a grid, a community or the street; residents below it may join.
    grid = person.household.building.grid if person.household else None
    if grid is None or not grid.path.startswith(activity.unit.path):
        raise ValidationError(_("该活动不面向您所在的社区"))
    row = CheckIn.objects.select_for_update().filter(activity=activity, person=person).first()
    hourly = activity.rule.per == Per.HOUR
    if row is None:
        row = CheckIn.objects.create(activity=activity, person=person, checked_in_at=now)
        if not hourly:
            _create_award(
                actor=actor,
                person=person,
                rule=activity.rule,
                key=f"activity:{activity.pk}:{person.pk}",
                quantity=1,
                source=Source.ACTIVITY,
                activity=activity,
                at=now,
            )
        return row
    if not hourly or row.checked_out_at:
        raise ValidationError(_("您已签到过该活动"))
    row.checked_out_at = now
    row.save(update_fields=["checked_out_at"])
    start = max(row.checked_in_at, activity.starts_at)
    end = min(now, activity.ends_at)
    hours = Decimal(max((end - start).total_seconds(), 0) / 3600).quantize(Decimal("0.01"))
    if hours >= Decimal("0.25"):
        _create_award(
            actor=actor,
            person=person,
            rule=activity.rule,
            key=f"activity:{activity.pk}:{person.pk}",
            quantity=hours,
            source=Source.ACTIVITY,
            activity=activity,
            at=now,
        )
    return row


# --- catalogue and redemption ---------------------------------------------------------------


@transaction.atomic
def item_save(*, actor, unit, item=None, **fields):
    authorize(actor, "points.manage_catalogue", unit)
    item = lock_rows(Item, [item.pk])[item.pk] if item is not None else Item(unit=unit)
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    audit.record(actor, "points.item_save", item, stock=item.stock, cost=item.cost)
    return item


@transaction.atomic
def redeem(*, actor, item, now=None):
    """Order a reward: reserve the points (a ledger hold) and one unit of stock, or refuse."""
    now = now or timezone.now()
    person = _actor_person(actor)
    authorize(actor, "points.view_item", item)
    # Lock order: the item row, then the ledger locks the account inside hold_create.
    item = lock_rows(Item, [item.pk])[item.pk]
    today = timezone.localdate(now)
    outside = (item.available_from and today < item.available_from) or (
        item.available_until and today > item.available_until
    )
    if not item.active or outside:
        raise ValidationError(_("该商品已下架"))
    if item.stock <= 0:
        raise ValidationError(_("已兑完"), code="stock")
    if item.per_person_limit is not None:
        taken = Redemption.objects.filter(item=item, person=person).exclude(
            state=RedemptionState.CANCELLED
        )
        if taken.count() >= item.per_person_limit:
            raise ValidationError(_("已达到每人限兑数量"))
    redemption = Redemption(item=item, person=person, points=item.cost)
    redemption.hold = ledger.hold_create(
        actor=actor,
        debit=person_account(person),
        credit=redeemed_account(),
        amount=item.cost,
        kind="redeem",
        key=f"points:redeem:{person.pk}:{item.pk}:{now.timestamp()}",
        memo=item.name,
        expires_at=now + datetime.timedelta(days=conf.REDEMPTION_DAYS),
    )
    item.stock -= 1
    item.save(update_fields=["stock"])
    redemption.save()
    return redemption


def _lock_redemption(redemption):
    return Redemption.objects.select_for_update().select_related("item").get(pk=redemption.pk)


@transaction.atomic
def fulfil(*, actor, code, now=None):
    """Hand over the goods or accept the voucher: the hold is posted."""
    from linli.core.scoping import get_visible_or_404

    redemption = get_visible_or_404(Redemption, actor, "points.fulfil", code=code.strip())
    redemption = _lock_redemption(redemption)
    if redemption.state != RedemptionState.PENDING:
        raise ValidationError(
            _("该券已%(state)s") % {"state": redemption.get_state_display()}, code="closed"
        )
    ledger.hold_post(actor=actor, hold=redemption.hold)
    redemption.state = RedemptionState.FULFILLED
    redemption.closed_at = now or timezone.now()
    redemption.closed_by = actor.user
    redemption.save(update_fields=["state", "closed_at", "closed_by"])
    audit.record(actor, "points.fulfil", redemption, points=redemption.points)
    return redemption


@transaction.atomic
def redemption_cancel(*, actor, redemption, now=None):
    """The resident (or staff) cancels an uncollected order: points and stock come back."""
    if actor is not SYSTEM and actor.person_id != redemption.person_id:
        authorize(actor, "points.fulfil", redemption)
    redemption = _lock_redemption(redemption)
    if redemption.state != RedemptionState.PENDING:
        raise ValidationError(_("该兑换已处理"))
    item = lock_rows(Item, [redemption.item_id])[redemption.item_id]
    ledger.hold_void(actor=actor, hold=redemption.hold)
    item.stock += 1
    item.save(update_fields=["stock"])
    redemption.state = RedemptionState.CANCELLED
    redemption.closed_at = now or timezone.now()
    redemption.save(update_fields=["state", "closed_at"])
    return redemption


def redemptions_expire_due(*, now=None):
    """Uncollected orders past their time give points and stock back."""
    now = now or timezone.now()
    due = Redemption.objects.filter(
        state=RedemptionState.PENDING, hold__expires_at__lte=now
    ).values_list("pk", flat=True)
    count = 0
    for pk in list(due[:2000]):
        redemption_cancel(actor=SYSTEM, redemption=Redemption.objects.get(pk=pk), now=now)
        count += 1
    return count


# --- expiry ---------------------------------------------------------------------------------


@transaction.atomic
def policy_set(*, actor, unit, expiry):
    authorize(actor, "points.manage_rules", unit)
    policy, _created = Policy.objects.get_or_create(unit=unit)
    policy.expiry = expiry
    policy.full_clean()
    policy.save()
    return policy


def _expiring(policy, year):
    """(person_id, points earned in ``year`` still unspent) for residents under the policy."""
    from linli.org.models import Person

    people = Person.objects.filter(
        household__building__estate__community__path__startswith=policy.unit.path
    ).values_list("pk", flat=True)
    earned = dict(
        Award.objects.filter(person__in=people, state=AwardState.GRANTED, earned_on__year=year)
        .values("person")
        .annotate(s=Sum("points"))
        .values_list("person", "s")
    )
    return earned


def expire_year(*, year, now=None):
    """Points earned in ``year`` expire at the end of ``year + 1`` where the policy says so.

    Spending is first-in-first-out: what a resident spent since the start of ``year`` is taken
    from that year's points first, so only the unspent rest expires (at most the balance).
    """
    from linli.org.models import Person

    count = 0
    for policy in Policy.objects.filter(expiry=Expiry.END_OF_NEXT_YEAR).select_related("unit"):
        for person_id, earned in _expiring(policy, year).items():
            person = Person.objects.get(pk=person_id)
            account = person_account(person)
            spent = (
                Redemption.objects.filter(
                    person=person,
                    state=RedemptionState.FULFILLED,
                    created_at__year__gte=year,
                ).aggregate(s=Sum("points"))["s"]
                or 0
            )
            amount = min(max(earned - spent, 0), account.available)
            if amount <= 0:
                continue
            ledger.transfer(
                actor=SYSTEM,
                debit=account,
                credit=expired_account(),
                amount=amount,
                kind="expire",
                key=f"points:expire:{year}:{person_id}",
                memo=_("%(year)s 年积分到期") % {"year": year},
            )
            count += 1
    return count


def expiry_warn(*, year, now=None):
    """A month ahead: tell residents how many points will expire at the end of the year (once:
    the job runs hourly in December and skips residents already told)."""
    from linli.core.models import Notification
    from linli.org.models import Person

    kind = f"points.expiry.{year}"
    told = set(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))
    count = 0
    for policy in Policy.objects.filter(expiry=Expiry.END_OF_NEXT_YEAR).select_related("unit"):
        for person_id, earned in _expiring(policy, year).items():
            users = [u for u in _users_of(Person.objects.get(pk=person_id)) if u.pk not in told]
            if users:
                notify.notify(
                    users,
                    _("积分即将到期"),
                    _("您在 %(year)s 年获得的 %(n)s 积分将于 %(end)s 年底到期，请尽快兑换。")
                    % {"year": year, "n": earned, "end": year + 1},
                    kind=kind,
                )
                count += 1
    return count
