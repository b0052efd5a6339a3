"""南京市玄武区锁金村街道: 1,000+ volunteers and 100,000+ stored hours, built from two years of
confirmed service records (bulk-written, each with its own ledger entry), plus withdrawals by
older volunteers, gifts, donations and requests in every state."""

import datetime

from django.db import transaction
from django.utils import timezone

from linli.core.bulk import bulk_insert, no_gc
from linli.core.scoping import SYSTEM, SystemActor
from linli.ledger import services as ledger
from linli.org.choices import UnitKind
from linli.org.demo import demo_user
from linli.org.models import OrgUnit, Person
from linli.timebank import services
from linli.timebank.choices import Channel, ServiceState, VolunteerKind, VolunteerStatus
from linli.timebank.models import Category, Policy, Service, Volunteer

ORDER = 70
VOLUNTEERS = 1020
SERVICES_PER_VOLUNTEER = 50
NOTES = ["打扫卫生、陪聊", "陪同去社区医院复查", "代买药品和蔬菜", "读报、下象棋", "帮忙做午饭"]


class _OnBehalf(SystemActor):
    """The demo acts as the system for residents without logins (same service path)."""

    def __init__(self, person):
        super().__init__()
        self.person_id = person.pk


@transaction.atomic
def load(ctx):
    services.categories_ensure()
    street = OrgUnit.objects.get(kind=UnitKind.STREET, code="suojincun")
    city = OrgUnit.objects.get(path=street.path[: OrgUnit.steplen])
    Policy.objects.create(unit=city, withdraw_age=60, hardship_age=55, backing_fund_hours=60000)
    today = timezone.localdate()
    people = list(
        Person.objects.filter(household__building__grid__path__startswith=street.path)
        .select_related("household__building__grid")
        .order_by("pk")
    )
    adults = [p for p in people if (p.age_on(today) or 0) >= 18]
    elders = [p for p in people if (p.age_on(today) or 0) >= 60]
    chosen = ctx.rng.sample(adults, min(VOLUNTEERS, len(adults)))
    categories = list(Category.objects.all())
    now = timezone.now()
    with no_gc():
        volunteers = _volunteers(chosen, now)
        _history(ctx, volunteers, elders, categories, street, now)
    _recent(ctx, volunteers, elders, now)
    _logins(ctx, street, volunteers, elders)
    ctx.log(f"  timebank: {len(volunteers)} volunteers")


def _volunteers(chosen, now):
    ids = bulk_insert(
        Volunteer,
        [
            {
                "kind": VolunteerKind.INDIVIDUAL,
                "person_id": p.pk,
                "unit_id": p.household.building.grid_id,
                "status": VolunteerStatus.ACTIVE,
                "verified_at": now - datetime.timedelta(days=800),
                "availability": "工作日晚上、周末",
            }
            for p in chosen
        ],
    )
    return list(Volunteer.objects.filter(pk__in=ids).select_related("person"))


def _history(ctx, volunteers, elders, categories, street, now):
    """Two years of confirmed services; one ledger batch per volunteer with dated entries."""
    rng = ctx.rng
    issuance = services.street_account(street, "issuance")
    rows, per_volunteer = [], []
    for volunteer in volunteers:
        day = now - datetime.timedelta(days=730)
        mine = []
        for _n in range(SERVICES_PER_VOLUNTEER):
            day += datetime.timedelta(days=rng.randint(4, 24))
            if day > now - datetime.timedelta(days=2):
                break
            elder = rng.choice(elders)
            if elder.pk == volunteer.person_id:
                continue
            category = rng.choice(categories)
            minutes = rng.choice([60, 90, 120, 120, 150, 180, 240])
            start = day.replace(hour=rng.choice([9, 10, 14, 15]), minute=0, second=0)
            coins = services.coins_for(minutes, category)
            mine.append(
                {
                    "elder_id": elder.pk,
                    "category_id": category.pk,
                    "starts_at": start,
                    "minutes": minutes,
                    "channel": rng.choice([Channel.GRID, Channel.GRID, Channel.FAMILY]),
                    "created_at": start - datetime.timedelta(days=2),
                    "state": ServiceState.CONFIRMED,
                    "volunteer_id": volunteer.pk,
                    "accepted_at": start - datetime.timedelta(days=1),
                    "checked_in_at": start,
                    "checked_out_at": start + datetime.timedelta(minutes=minutes),
                    "served_minutes": minutes,
                    "record_note": rng.choice(NOTES),
                    "elder_confirmed_at": start + datetime.timedelta(hours=5),
                    "reviewed_at": start + datetime.timedelta(days=1),
                    "rating": rng.choice([4, 5, 5]),
                    "coins": coins,
                    "policy_version": 1,
                    "code": f"demo{volunteer.pk}x{len(mine)}",
                }
            )
        rows.extend(mine)
        per_volunteer.append((volunteer, mine))
    bulk_insert(Service, rows)
    for volunteer, mine in per_volunteer:
        account = services.person_account(volunteer.person)
        legs = [
            ledger.Leg(
                issuance,
                account,
                row["coins"],
                "deposit",
                f"{row['record_note']}",
                "timebank",
                at=row["reviewed_at"],
            )
            for row in mine
        ]
        ledger.batch(actor=SYSTEM, legs=legs, key=f"demo:timebank:{volunteer.pk}")


def _recent(ctx, volunteers, elders, now):
    """Requests in every state, withdrawals by older volunteers, gifts and donations."""
    rng = ctx.rng
    old_volunteers = [v for v in volunteers if (v.person.age_on(now.date()) or 0) >= 61][:25]
    for volunteer in old_volunteers:
        person = volunteer.person
        helper = rng.choice([v for v in volunteers if v.pk != volunteer.pk])
        service = services.request_create(
            actor=_OnBehalf(person),
            elder=person,
            category_code="home_care",
            start=now - datetime.timedelta(days=3),
            minutes=120,
            payer=person,
            now=now - datetime.timedelta(days=5),
        )
        _walk(service, helper, now - datetime.timedelta(days=3), done=True)
    for n, volunteer in enumerate(volunteers[:20]):
        relative = rng.choice(elders)
        if relative.pk == volunteer.person_id:
            continue
        gift = services.gift_create(
            actor=_OnBehalf(volunteer.person),
            giver=volunteer.person,
            receiver=relative,
            relation=rng.choice(["母亲", "父亲", "岳母", "姑妈"]),
            minutes=600,
        )
        if n % 4:
            services.gift_decide(actor=SYSTEM, gift=gift, approve=True)
    for volunteer in volunteers[20:40]:
        services.gift_create(actor=_OnBehalf(volunteer.person), giver=volunteer.person, minutes=300)
    states = ["open"] * 6 + ["accepted"] * 4 + ["served"] * 4 + ["confirmed"] * 4
    for n, state in enumerate(states):
        elder = elders[n * 7 % len(elders)]
        service = services.request_create(
            actor=SYSTEM,
            elder=elder,
            category_code=rng.choice(["home_care", "companion", "meals", "escort"]),
            start=now + datetime.timedelta(days=1 + n % 5, hours=n % 3),
            minutes=rng.choice([60, 90, 120]),
            note=rng.choice(["腿脚不便，需要有人陪同", "想找人聊聊天", "家里需要打扫"]),
        )
        if state != "open":
            helper = rng.choice([v for v in volunteers if v.person_id != elder.pk])
            _walk(service, helper, now - datetime.timedelta(hours=3), state=state)


def _walk(service, helper, start, *, done=False, state="confirmed"):
    actor = _OnBehalf(helper.person)
    services.service_accept(actor=actor, service=service)
    if state == "accepted":
        return
    services.service_check_in(actor=actor, service=service, code=service.code, now=start)
    services.service_check_out(
        actor=actor, service=service, now=start + datetime.timedelta(minutes=service.minutes)
    )
    if state == "served":
        return
    services.service_confirm(actor=SYSTEM, service=service, rating=5)
    if done or state == "confirmed":
        services.service_review(actor=SYSTEM, service=service, approve=True)


def _logins(ctx, street, volunteers, elders):
    community = OrgUnit.objects.filter(kind=UnitKind.COMMUNITY, path__startswith=street.path)
    community = community.order_by("path").first()
    grid = OrgUnit.objects.filter(kind=UnitKind.GRID, path__startswith=community.path)
    grid = grid.order_by("path").first()
    demo_user(
        ctx, "suojincun-street", "锁金村街道管理员", "street_admin", street, where=street.name
    )
    demo_user(
        ctx,
        "suojincun-staff",
        "时间银行审核员",
        "community_staff",
        community,
        where=community.name,
    )
    demo_user(ctx, "suojincun-grid", "网格员", "grid_worker", grid, where=grid.name)
    volunteer = next(v for v in volunteers if v.person.household.building.grid_id == grid.pk)
    demo_user(
        ctx,
        "suojincun-volunteer",
        volunteer.person.name,
        "resident",
        community,
        where=str(volunteer.person.household),
        person=volunteer.person,
        phone="13800000071",
    )
    elder = next(
        e
        for e in elders
        if (e.age_on(timezone.localdate()) or 0) >= 61
        and e.household.building.grid.path.startswith(community.path)
        and e.pk != volunteer.person_id
        and not hasattr(e, "user")
    )
    demo_user(
        ctx,
        "suojincun-elder",
        elder.name,
        "resident",
        community,
        where=str(elder.household),
        person=elder,
        phone="13800000072",
    )
