"""苏州市姑苏区平江街道: a year of points — activities with check-ins, awards, claims, a
catalogue with vouchers, redemptions waiting and collected."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from linli.core.scoping import SYSTEM, SystemActor
from linli.org.choices import UnitKind
from linli.org.demo import demo_user
from linli.org.models import Estate, OrgUnit, Person
from linli.points import services
from linli.points.choices import AwardState, Expiry, ItemKind, Per, Source

ORDER = 30

ACTIVITIES = [
    ("平江河道清洁志愿活动", "volunteer", "平江河沿岸", 3),
    ("垃圾分类桶边督导", "garbage_sorting", "小区垃圾投放点", 2),
    ("敬老院陪伴志愿服务", "volunteer", "平江社区养老院", 2),
    ("居民议事会旁听", "council", "社区会议室", 2),
    ("古城消防安全宣传", "volunteer", "钮家巷口", 2),
]

CATALOGUE = [
    (ItemKind.GOODS, "环保购物袋", "社区服务站领取", 30, 200),
    (ItemKind.GOODS, "5公斤大米", "社区服务站领取", 300, 40),
    (ItemKind.GOODS, "洗衣液", "社区服务站领取", 120, 80),
    (ItemKind.FEE_VOUCHER, "物业费抵用券20元", "物业服务中心核销", 200, 100),
    (ItemKind.PRIORITY, "社区活动室优先预约权", "一个月内优先预约", 150, 20),
]


def _person_in(grid):
    return (
        Person.objects.filter(household__building__grid=grid, user__isnull=True)
        .select_related("household__building__grid")
        .order_by("pk")
    )


@transaction.atomic
def load(ctx):
    services.rules_ensure()
    street = OrgUnit.objects.get(kind=UnitKind.STREET, code="pingjiang")
    communities = list(
        OrgUnit.objects.filter(kind=UnitKind.COMMUNITY, path__startswith=street.path).order_by(
            "path"
        )
    )
    services.policy_set(actor=SYSTEM, unit=street, expiry=Expiry.END_OF_NEXT_YEAR)
    services.rule_save(
        actor=SYSTEM,
        unit=communities[0],
        code="garbage_sorting",
        name="垃圾分类(平江路社区)",
        category="garbage",
        points=2,
        per=Per.TIME,
        daily_limit=4,
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rng = ctx.rng
    awards = 0
    for community in communities:
        grids = OrgUnit.objects.filter(kind=UnitKind.GRID, path__startswith=community.path)
        residents = [p for g in grids for p in _person_in(g)[:40]]
        for month in range(11, -1, -1):
            title, code, place, hours = ACTIVITIES[month % len(ACTIVITIES)]
            starts = now - datetime.timedelta(days=30 * month + 3, hours=4)
            rule = services.rule_for(residents[0], code)
            activity = services.activity_create(
                actor=SYSTEM,
                unit=community,
                rule=rule,
                title=title,
                place=place,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=hours),
            )
            for person in rng.sample(residents, 12):
                quantity = Decimal(hours) if rule.per == Per.HOUR else Decimal(1)
                services._create_award(
                    actor=SYSTEM,
                    person=person,
                    rule=rule,
                    key=f"demo:activity:{activity.pk}:{person.pk}",
                    quantity=quantity,
                    source=Source.ACTIVITY,
                    activity=activity,
                    at=starts,
                )
                awards += 1
        for n, person in enumerate(rng.sample(residents, 6)):
            rule = services.rule_for(person, "mutual_help")
            made = services._create_award(
                actor=SYSTEM,
                person=person,
                rule=rule,
                key=f"demo:claim:{community.pk}:{n}",
                quantity=1,
                source=Source.CLAIM,
                note=rng.choice(["帮独居老人买菜", "帮邻居修水管", "照看邻居孩子放学"]),
                pending=True,
            )
            if n < 3:
                services.claim_decide(actor=SYSTEM, award_obj=made, approve=True)
        estate = Estate.objects.filter(community=community).order_by("pk").first()
        items = [
            services.item_save(
                actor=SYSTEM,
                unit=community,
                kind=kind,
                name=name,
                description=description,
                cost=cost,
                stock=stock,
                estate=estate if kind == ItemKind.FEE_VOUCHER else None,
            )
            for kind, name, description, cost, stock in CATALOGUE
        ]
        _redemptions(ctx, residents, items)
    _logins(ctx, street, communities)
    ctx.log(f"  points: {awards} activity awards in {len(communities)} communities")


def _redemptions(ctx, residents, items):
    done = 0
    for person in residents:
        account = services.person_account(person)
        affordable = [i for i in items if i.cost <= account.balance - account.held and i.stock]
        if not affordable or done >= 8:
            continue
        item = ctx.rng.choice(affordable)
        redemption = services.redeem(actor=_OnBehalf(person), item=item)
        if done % 2 == 0:
            services.fulfil(actor=SYSTEM, code=redemption.code)
        done += 1


class _OnBehalf(SystemActor):
    """The demo orders as the system on a resident's behalf (they have no login); the service
    path is the one a phone takes."""

    def __init__(self, person):
        super().__init__()
        self.person_id = person.pk


def _logins(ctx, street, communities):
    community = communities[0]
    grid = OrgUnit.objects.filter(kind=UnitKind.GRID, path__startswith=community.path).order_by(
        "path"
    )[0]
    estate = Estate.objects.filter(community=community).order_by("pk").first()
    demo_user(ctx, "pingjiang-street", "平江街道管理员", "street_admin", street, where=street.name)
    demo_user(
        ctx, "pingjiang-staff", "社区积分专员", "community_staff", community, where=community.name
    )
    demo_user(ctx, "pingjiang-grid", "网格员", "grid_worker", grid, where=grid.name)
    demo_user(
        ctx,
        "pingjiang-property",
        "物业客服",
        "property_manager",
        community,
        estate=estate,
        where=estate.name,
    )
    earner = (
        Person.objects.filter(
            household__building__grid__path__startswith=community.path,
            point_awards__state=AwardState.GRANTED,
            user__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    demo_user(
        ctx,
        "pingjiang-resident",
        earner.name,
        "resident",
        community,
        where=str(earner.household),
        person=earner,
        phone="13800000031",
    )
