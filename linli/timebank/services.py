"""Every write of the time bank. Time moves only through ``linli.ledger`` (unit: minutes).

Accounts: each person (and each volunteer group) has a ``timebank`` minutes account whose ceiling
is the lifetime storage cap; each street has an issuance account (deposits come from it), a
donation pool, and a ``spent`` account that receives time paid for services delivered there.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit, notify
from linli.core.locking import lock_rows
from linli.core.scoping import SYSTEM, authorize
from linli.ledger import services as ledger
from linli.ledger.choices import Unit
from linli.ledger.models import Account
from linli.org.models import HouseholdMember, OrgUnit
from linli.timebank import conf
from linli.timebank.choices import (
    DEFAULT_CATEGORIES,
    Channel,
    FlagKind,
    GiftState,
    ServiceState,
    VolunteerKind,
    VolunteerStatus,
)
from linli.timebank.models import (
    Category,
    Designation,
    Flag,
    Gift,
    Hardship,
    Policy,
    Service,
    Volunteer,
)


def categories_ensure():
    for code, name, weight in DEFAULT_CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "weight": weight})


# --- places and rules -----------------------------------------------------------------------


def street_of(person):
    household = person.household
    if household is None:
        raise ValidationError(_("该居民没有登记住址"))
    community = household.building.estate.community
    return OrgUnit.objects.get(path=community.path[: -community.steplen])


@dataclass(frozen=True)
class Rules:
    withdraw_age: int
    hardship_age: int
    lifetime_cap_minutes: int
    daily_cap_minutes: int
    award_points: bool
    version: int


def rules_for(unit):
    """The policy of the deepest unit above (or at) ``unit`` that has one; else the defaults."""
    step = unit.steplen
    paths = [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]
    policy = Policy.objects.filter(unit__path__in=paths).order_by("-unit__depth").first()
    if policy is None:
        return Rules(
            conf.WITHDRAW_AGE,
            conf.HARDSHIP_AGE,
            conf.LIFETIME_CAP_MINUTES,
            conf.DAILY_CAP_MINUTES,
            False,
            0,
        )
    return Rules(
        policy.withdraw_age,
        policy.hardship_age,
        policy.lifetime_cap_minutes,
        policy.daily_cap_minutes,
        policy.award_points,
        policy.version,
    )


def coins_for(minutes, category):
    return int((Decimal(minutes) * category.weight).quantize(Decimal(1), ROUND_HALF_UP))


# --- accounts -------------------------------------------------------------------------------


def person_account(person, rules=None):
    rules = rules or rules_for(street_of(person))
    return ledger.account_get_or_create(
        owner=person, unit=Unit.MINUTES, code="timebank", ceiling=rules.lifetime_cap_minutes
    )


def group_account(organisation):
    return ledger.account_get_or_create(owner=organisation, unit=Unit.MINUTES, code="timebank")


def street_account(street, purpose):
    """``issuance`` (may go negative: what the street has issued), ``pool`` or ``spent``."""
    floor = 0 if purpose == "pool" else None
    return ledger.account_get_or_create(
        unit=Unit.MINUTES, code=f"timebank:{purpose}:{street.code}", floor=floor
    )


# --- volunteers -----------------------------------------------------------------------------


@transaction.atomic
def volunteer_register(*, actor, person, unit=None, skills=(), availability="", today=None):
    """A resident signs up (or staff sign them up); staff check the real name afterwards."""
    today = today or timezone.localdate()
    if actor.person_id != person.pk:
        authorize(actor, "timebank.verify_volunteer", person)
    age = person.age_on(today)
    if age is None or age < conf.VOLUNTEER_MIN_AGE:
        raise ValidationError(_("个人志愿者须年满 18 周岁（未成年人请随团体参加）"))
    if Volunteer.objects.filter(person=person).exists():
        raise ValidationError(_("您已登记为志愿者"))
    volunteer = Volunteer(
        kind=VolunteerKind.INDIVIDUAL,
        person=person,
        unit=unit or person.household.building.grid,
        availability=availability,
    )
    volunteer.full_clean()
    volunteer.save()
    volunteer.skills.set(skills)
    audit.record(actor, "timebank.volunteer_register", volunteer)
    return volunteer


@transaction.atomic
def volunteer_group_register(*, actor, organisation, unit):
    authorize(actor, "timebank.verify_volunteer", unit)
    volunteer = Volunteer.objects.create(
        kind=VolunteerKind.GROUP, organisation=organisation, unit=unit
    )
    return volunteer


@transaction.atomic
def volunteer_verify(*, actor, volunteer, approve, now=None):
    authorize(actor, "timebank.verify_volunteer", volunteer)
    volunteer = lock_rows(Volunteer, [volunteer.pk])[volunteer.pk]
    if volunteer.kind == VolunteerKind.INDIVIDUAL and approve and not volunteer.person.id_index:
        raise ValidationError(_("该居民未登记身份证号，不能通过实名审核"))
    volunteer.status = VolunteerStatus.ACTIVE if approve else VolunteerStatus.REJECTED
    volunteer.verified_by = actor.user
    volunteer.verified_at = now or timezone.now()
    volunteer.save(update_fields=["status", "verified_by", "verified_at"])
    audit.record(actor, "timebank.volunteer_verify", volunteer, approve=approve)
    return volunteer


def _active_volunteer(actor):
    volunteer = (
        Volunteer.objects.select_related("person", "unit")
        .filter(person_id=actor.person_id, status=VolunteerStatus.ACTIVE)
        .first()
        if actor.person_id
        else None
    )
    if volunteer is None:
        raise PermissionDenied
    return volunteer


# --- who may act for an elder ---------------------------------------------------------------


def _same_household(a_id, b_id):
    if a_id is None or b_id is None:
        return False
    mine = HouseholdMember.objects.filter(person_id=a_id, until__isnull=True).values("household")
    return HouseholdMember.objects.filter(
        person_id=b_id, until__isnull=True, household__in=mine
    ).exists()


def _channel_for(actor, elder):
    """Who files or confirms for the elder: the elder, their family, or a grid worker/staff."""
    if actor.person_id == elder.pk:
        return Channel.ELDER
    if _same_household(actor.person_id, elder.pk):
        return Channel.FAMILY
    authorize(actor, "timebank.request", elder)
    return Channel.GRID if not actor.has_perm("timebank.review") else Channel.STAFF


def can_withdraw(person, day, *, street=None):
    rules = rules_for(street or street_of(person))
    age = person.age_on(day)
    if age is None:
        return False
    if age >= rules.withdraw_age:
        return True
    hardship = Hardship.objects.filter(person=person).exists()
    return hardship and rules.hardship_age and age >= rules.hardship_age


# --- requests and records -------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor,
    elder,
    category_code,
    start,
    minutes,
    note="",
    source="",
    payer=None,
    now=None,
):
    """File a request for help for ``elder``. With ``payer`` (the elder, or a holder who
    designated the elder), the service is paid in time: a hold is placed now, posted once the
    service is confirmed."""
    now = now or timezone.now()
    channel = Channel.STAFF if actor is SYSTEM else _channel_for(actor, elder)
    category = Category.objects.filter(code=category_code, active=True).first()
    if category is None:
        raise ValidationError(_("没有这个服务类别"))
    service = Service(
        elder=elder,
        category=category,
        category_version=category.version,
        starts_at=start,
        minutes=minutes,
        note=note,
        channel=channel,
        source=source,
        created_by=actor.user if actor.user_id else None,
        created_at=now,
    )
    service.full_clean(exclude=["volunteer", "payer", "hold"])
    service.save()
    if payer is not None:
        _place_payment(actor, service, payer, now)
    audit.record(actor, "timebank.request_create", service, channel=channel)
    return service


def _place_payment(actor, service, payer, now):
    elder = service.elder
    if (
        payer.pk != elder.pk
        and not Designation.objects.filter(holder=payer, relative=elder).exists()
    ):
        raise ValidationError(_("只能使用本人或已指定亲属的时间"))
    street = street_of(elder)
    if not can_withdraw(elder, timezone.localdate(now), street=street):
        raise ValidationError(
            _("服务对象未达到兑换年龄（%(age)s 岁），困难老人请先申请认定")
            % {"age": rules_for(street).withdraw_age}
        )
    amount = coins_for(service.minutes, service.category)
    service.payer = payer
    service.hold = ledger.hold_create(
        actor=actor,
        debit=person_account(payer),
        credit=street_account(street, "spent"),
        amount=amount,
        kind="withdraw",
        key=f"timebank:withdraw:{service.pk}",
        memo=str(service),
    )
    service.save(update_fields=["payer", "hold"])


def _lock(service):
    return (
        Service.objects.select_for_update().select_related("category", "elder").get(pk=service.pk)
    )


def _expect(service, *states):
    if service.state not in states:
        raise ValidationError(
            _("当前状态为“%(state)s”，不能进行此操作") % {"state": service.get_state_display()}
        )


@transaction.atomic
def service_accept(*, actor, service, now=None):
    volunteer = _active_volunteer(actor)
    service = _lock(service)
    _expect(service, ServiceState.OPEN)
    if volunteer.person_id == service.elder_id:
        raise ValidationError(_("不能为自己服务"))
    service.volunteer = volunteer
    service.state = ServiceState.ACCEPTED
    service.accepted_at = now or timezone.now()
    service.save(update_fields=["volunteer", "state", "accepted_at"])
    notify.notify(
        _users_for(service.elder),
        _("您的服务需求已有志愿者接单"),
        _("%(name)s 将于 %(at)s 上门")
        % {"name": volunteer, "at": f"{service.starts_at:%m-%d %H:%M}"},
        kind="timebank.accepted",
    )
    return service


@transaction.atomic
def service_cancel(*, actor, service, reason=""):
    service = _lock(service)
    _expect(service, ServiceState.OPEN, ServiceState.ACCEPTED)
    if actor.person_id not in (service.elder_id, service.payer_id):
        _channel_for(actor, service.elder)
    if service.hold_id:
        ledger.hold_void(actor=actor, hold=service.hold)
    service.state = ServiceState.CANCELLED
    service.dispute = reason[:300]
    service.save(update_fields=["state", "dispute"])
    return service


def _is_volunteer_of(actor, service):
    return service.volunteer_id and service.volunteer.person_id == actor.person_id


@transaction.atomic
def service_check_in(*, actor, service, code="", manual_reason="", now=None):
    """The volunteer scans the QR at the elder's home; without it, a manual reason is kept."""
    service = _lock(service)
    if not _is_volunteer_of(actor, service):
        raise PermissionDenied
    _expect(service, ServiceState.ACCEPTED)
    if code != service.code:
        if not manual_reason.strip():
            raise ValidationError(_("请扫描老人家中的二维码，或填写手工签到原因"))
        service.manual_reason = manual_reason[:200]
    service.checked_in_at = now or timezone.now()
    service.state = ServiceState.IN_SERVICE
    service.save(update_fields=["checked_in_at", "state", "manual_reason"])
    return service


@transaction.atomic
def service_check_out(*, actor, service, note="", now=None):
    service = _lock(service)
    if not _is_volunteer_of(actor, service):
        raise PermissionDenied
    _expect(service, ServiceState.IN_SERVICE)
    now = now or timezone.now()
    minutes = int((now - service.checked_in_at).total_seconds() // 60)
    if minutes < 1:
        raise ValidationError(_("服务时间太短"))
    service.checked_out_at = now
    # Time beyond the booked length (plus a quarter of an hour) is not counted without review.
    service.served_minutes = min(minutes, service.minutes + 15)
    service.record_note = note[:300]
    service.state = ServiceState.AWAITING_ELDER
    service.save(update_fields=["checked_out_at", "served_minutes", "record_note", "state"])
    return service


@transaction.atomic
def service_confirm(*, actor, service, rating=None, now=None):
    """First level: the elder or their proxy (family, grid worker) confirms the service."""
    service = _lock(service)
    _expect(service, ServiceState.AWAITING_ELDER)
    _channel_for(actor, service.elder)
    if _is_volunteer_of(actor, service):
        raise ValidationError(_("志愿者不能确认自己的服务"))
    service.elder_confirmed_by = actor.user
    service.elder_confirmed_at = now or timezone.now()
    service.rating = rating
    service.state = ServiceState.AWAITING_REVIEW
    service.full_clean(exclude=["volunteer", "payer", "hold"])
    service.save(update_fields=["elder_confirmed_by", "elder_confirmed_at", "rating", "state"])
    return service


@transaction.atomic
def service_dispute(*, actor, service, reason):
    service = _lock(service)
    _expect(service, ServiceState.AWAITING_ELDER, ServiceState.AWAITING_REVIEW)
    _channel_for(actor, service.elder)
    if not reason.strip():
        raise ValidationError(_("请说明争议原因"))
    service.state = ServiceState.DISPUTED
    service.dispute = reason[:300]
    service.save(update_fields=["state", "dispute"])
    return service


@transaction.atomic
def service_review(*, actor, service, approve, reason="", minutes=None, now=None):
    """Second level: a reviewer (not the volunteer, not the first confirmer) approves; only then
    is the time deposited (and a paid service charged)."""
    authorize(actor, "timebank.review", service)
    service = _lock(service)
    _expect(service, ServiceState.AWAITING_REVIEW, ServiceState.DISPUTED)
    same_person = actor.user_id is not None and service.elder_confirmed_by_id == actor.user_id
    if _is_volunteer_of(actor, service) or same_person:
        raise ValidationError(_("审核人不能是志愿者本人或第一级确认人"))
    now = now or timezone.now()
    service.reviewed_by = actor.user
    service.reviewed_at = now
    if not approve:
        service.state = ServiceState.DISPUTED
        service.dispute = (reason or service.dispute)[:300]
        service.save(update_fields=["reviewed_by", "reviewed_at", "state", "dispute"])
        return service
    if minutes is not None:
        service.served_minutes = minutes
    service.state = ServiceState.CONFIRMED
    service.save(update_fields=["reviewed_by", "reviewed_at", "state", "served_minutes"])
    _deposit(actor, service)
    if service.hold_id:
        ledger.hold_post(
            actor=actor,
            hold=service.hold,
            amount=min(coins_for(service.served_minutes, service.category), service.hold.amount),
        )
    _flag_review(actor, service)
    _flag_pair(service, now)
    audit.record(actor, "timebank.review", service, minutes=service.served_minutes)
    return service


def _deposit(actor, service):
    """Credit the volunteer, within the daily and lifetime caps; the rest goes to the pool."""
    volunteer = service.volunteer
    street = street_of(service.elder)
    rules = rules_for(street)
    coins = coins_for(service.served_minutes, service.category)
    issuance = street_account(street, "issuance")
    pool = street_account(street, "pool")
    if volunteer.kind == VolunteerKind.GROUP:
        account = group_account(volunteer.organisation)
        room = coins
    else:
        account = person_account(volunteer.person, rules)
        day = timezone.localdate(service.checked_in_at)
        same_day = (
            Service.objects.filter(
                volunteer=volunteer,
                state=ServiceState.CONFIRMED,
                checked_in_at__date=day,
            )
            .exclude(pk=service.pk)
            .aggregate(s=Sum("coins"))["s"]
            or 0
        )
        # Two confirmations for one volunteer at once must not both fill the same room.
        account = lock_rows(Account, [account.pk])[account.pk]
        room = max(
            min(rules.daily_cap_minutes - same_day, rules.lifetime_cap_minutes - account.balance),
            0,
        )
    credited = min(coins, room)
    legs = []
    if credited:
        legs.append(ledger.Leg(issuance, account, credited, "deposit", str(service), "timebank"))
    if coins - credited:
        legs.append(
            ledger.Leg(issuance, pool, coins - credited, "overflow", str(service), "timebank")
        )
    for leg in legs:
        leg.rule_version = service.category_version
    ledger.batch(actor=actor, legs=legs, key=f"timebank:deposit:{service.pk}")
    service.coins, service.overflow = credited, coins - credited
    service.policy_version = rules.version
    service.save(update_fields=["coins", "overflow", "policy_version"])
    if rules.award_points and volunteer.person_id:
        from linli.timebank import bridges

        bridges.award_points(actor, service)


# --- gifts and the pool ---------------------------------------------------------------------


@transaction.atomic
def gift_create(*, actor, giver, receiver=None, relation="", minutes, now=None):
    """Give time to a relative (held until staff approve) or donate it to the pool (at once)."""
    now = now or timezone.now()
    if actor.person_id != giver.pk:
        authorize(actor, "timebank.review", giver)
    group = Volunteer.objects.filter(organisation__isnull=False, person=giver).exists()
    if receiver is not None and group:
        raise ValidationError(_("团体时间只能捐赠"))
    if receiver is not None and receiver.pk == giver.pk:
        raise ValidationError(_("不能转赠给自己"))
    if receiver is not None and not relation.strip():
        raise ValidationError(_("请填写与受赠人的关系"))
    gift = Gift(giver=giver, receiver=receiver, relation=relation, minutes=minutes, created_at=now)
    gift.full_clean(exclude=["hold"])
    street = street_of(giver)
    if receiver is None:
        gift.state = GiftState.DONE
        gift.save()
        ledger.transfer(
            actor=actor,
            debit=person_account(giver),
            credit=street_account(street, "pool"),
            amount=minutes,
            kind="donation",
            key=f"timebank:gift:{gift.pk}",
            memo=_("捐赠至互助池"),
        )
        return gift
    gift.save()
    gift.hold = ledger.hold_create(
        actor=actor,
        debit=person_account(giver),
        credit=person_account(receiver),
        amount=minutes,
        kind="gift",
        key=f"timebank:gift:{gift.pk}",
        memo=relation,
    )
    gift.save(update_fields=["hold"])
    _flag_circular(gift, street)
    return gift


@transaction.atomic
def gift_decide(*, actor, gift, approve):
    authorize(actor, "timebank.review", gift)
    gift = Gift.objects.select_for_update().get(pk=gift.pk)
    if gift.state != GiftState.PENDING:
        raise ValidationError(_("该转赠已处理"))
    if approve:
        ledger.hold_post(actor=actor, hold=gift.hold)
    else:
        ledger.hold_void(actor=actor, hold=gift.hold)
    gift.state = GiftState.DONE if approve else GiftState.REFUSED
    gift.decided_by = actor.user
    gift.save(update_fields=["state", "decided_by"])
    audit.record(actor, "timebank.gift_decide", gift, approve=approve, minutes=gift.minutes)
    return gift


@transaction.atomic
def pool_allocate(*, actor, elder, minutes, reason):
    """Staff give time from the street's donation pool to an elder in hardship."""
    authorize(actor, "timebank.allocate_pool", elder)
    if not reason.strip():
        raise ValidationError(_("请填写分配原因"))
    street = street_of(elder)
    made = ledger.transfer(
        actor=actor,
        debit=street_account(street, "pool"),
        credit=person_account(elder),
        amount=minutes,
        kind="allocation",
        key=f"timebank:allocate:{elder.pk}:{timezone.now().timestamp()}",
        memo=reason[:200],
    )
    audit.record(actor, "timebank.pool_allocate", elder, minutes=minutes, reason=reason)
    return made


@transaction.atomic
def hardship_approve(*, actor, person, reason):
    authorize(actor, "timebank.review", person)
    made, _created = Hardship.objects.update_or_create(
        person=person, defaults={"reason": reason, "approved_by": actor.user}
    )
    audit.record(actor, "timebank.hardship", person, reason=reason)
    return made


@transaction.atomic
def designation_create(*, actor, holder, relative, relation):
    if actor.person_id != holder.pk:
        authorize(actor, "timebank.review", holder)
    made, _created = Designation.objects.get_or_create(
        holder=holder,
        relative=relative,
        defaults={"relation": relation, "approved_by": actor.user if actor.user_id else None},
    )
    return made


# --- abuse checks ---------------------------------------------------------------------------


def _flag(kind, unit, detail, ref):
    Flag.objects.get_or_create(ref=ref, defaults={"kind": kind, "unit": unit, "detail": detail})


def _flag_review(actor, service):
    reviewer = actor.person_id
    if reviewer and (
        _same_household(reviewer, service.elder_id)
        or _same_household(reviewer, service.volunteer.person_id)
    ):
        _flag(
            FlagKind.RELATIVE_REVIEW,
            street_of(service.elder),
            _("审核人与服务双方同住：%(s)s") % {"s": service},
            f"review:{service.pk}",
        )


def _flag_pair(service, now):
    since = now - datetime.timedelta(days=30)
    count = Service.objects.filter(
        volunteer=service.volunteer,
        elder=service.elder,
        state=ServiceState.CONFIRMED,
        reviewed_at__gte=since,
    ).count()
    if count > conf.PAIR_FLAG_PER_30_DAYS:
        _flag(
            FlagKind.PAIR,
            street_of(service.elder),
            _("%(v)s 与 %(e)s 30 天内确认 %(n)s 次服务")
            % {"v": service.volunteer, "e": service.elder, "n": count},
            f"pair:{service.volunteer_id}:{service.elder_id}:{now:%Y%m}",
        )


def _flag_circular(gift, street):
    back = Gift.objects.filter(
        giver=gift.receiver,
        receiver=gift.giver,
        created_at__gte=gift.created_at - datetime.timedelta(days=90),
    ).exclude(state=GiftState.REFUSED)
    if back.exists():
        low, high = sorted([gift.giver_id, gift.receiver_id])
        _flag(
            FlagKind.CIRCULAR_GIFT,
            street,
            _("%(a)s 与 %(b)s 90 天内互相转赠") % {"a": gift.giver, "b": gift.receiver},
            f"circular:{low}:{high}",
        )


@transaction.atomic
def flag_resolve(*, actor, flag):
    authorize(actor, "timebank.review", flag)
    flag.resolved_by = actor.user
    flag.save(update_fields=["resolved_by"])
    return flag


def _users_for(person):
    from linli.accounts.models import User

    return list(User.objects.filter(person=person, is_active=True))


def reminders_due(*, now=None):
    """A day ahead, remind the volunteer of an accepted service (once: only services accepted
    before the window opened are picked in the hour they enter it)."""
    now = now or timezone.now()
    window = Service.objects.filter(
        state=ServiceState.ACCEPTED,
        starts_at__gt=now + datetime.timedelta(hours=23),
        starts_at__lte=now + datetime.timedelta(hours=24),
    ).select_related("volunteer__person", "elder", "category")
    count = 0
    for service in window:
        if service.volunteer.person_id:
            notify.notify(
                _users_for(service.volunteer.person),
                _("明天有时间银行服务"),
                _("%(cat)s · %(elder)s · %(at)s")
                % {
                    "cat": service.category,
                    "elder": service.elder,
                    "at": f"{service.starts_at:%H:%M}",
                },
                kind="timebank.reminder",
            )
            count += 1
    return count
