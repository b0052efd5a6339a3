"""深圳市南山区蛇口街道: 200+ community social organisations across fields — among them the
夕阳红 elderly-care centre, the 小树苗 youth centre and a volunteer association — a year of
activities with sign-ups and attendance, and purchase projects on track and behind."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from linli.core.bulk import bulk_insert
from linli.core.scoping import SYSTEM, SystemActor
from linli.org.choices import OrganisationKind, UnitKind
from linli.org.demo import demo_user
from linli.org.models import Organisation, OrgUnit, Person
from linli.socialorgs import services
from linli.socialorgs.choices import Field, Legal, SignupState
from linli.socialorgs.models import Activity, Profile, Signup

ORDER = 45
ORGS = 210
STEMS = {
    Field.ELDERLY: ["长者关爱", "银龄互助", "日间照料", "助餐服务"],
    Field.YOUTH: ["四点半课堂", "青少年成长", "亲子阅读", "科创少年"],
    Field.CULTURE: ["舞蹈队", "书法协会", "合唱团", "太极拳队", "粤剧社"],
    Field.VOLUNTEER: ["志愿服务队", "平安巡逻队", "环保志愿队"],
    Field.CHARITY: ["爱心基金", "邻里互助会"],
    Field.SOCIAL_WORK: ["社工服务站", "心理关爱站"],
}


class _Resident(SystemActor):
    def __init__(self, person):
        super().__init__()
        self.person_id = person.pk


@transaction.atomic
def load(ctx):
    rng = ctx.rng
    street = OrgUnit.objects.get(kind=UnitKind.STREET, code="shekou")
    communities = list(
        OrgUnit.objects.filter(kind=UnitKind.COMMUNITY, path__startswith=street.path).order_by(
            "path"
        )
    )
    xiyanghong = Organisation.objects.get(code="shekou-xiyanghong")
    named = [
        (xiyanghong, Field.ELDERLY),
        (_org(street, "shekou-xiaoshumiao", "小树苗青少年成长中心"), Field.YOUTH),
        (_org(street, "shekou-volunteers", "蛇口志愿者协会"), Field.VOLUNTEER),
    ]
    rows = []
    fields = list(STEMS)
    for n in range(ORGS - len(named)):
        field = fields[n % len(fields)]
        community = communities[n % len(communities)]
        rows.append(
            {
                "kind": OrganisationKind.SOCIAL,
                "code": f"shekou-so-{n}",
                "unit_id": community.pk,
                "name": f"{community.name[:-2]}{rng.choice(STEMS[field])}{n // len(fields) + 1}",
                "contact_name": ctx.faker.name(),
            }
        )
    ids = bulk_insert(Organisation, rows)
    today = timezone.localdate()
    profiles = [
        {
            "organisation_id": org.pk,
            "field": field,
            "legal": Legal.REGISTERED,
            "leader": ctx.faker.name(),
            "members": rng.randint(30, 120),
            "service_area": street.name,
            "services": "",
            "active": True,
            "founded": today - datetime.timedelta(days=rng.randint(400, 3000)),
        }
        for org, field in named
    ]
    profiles += [
        {
            "organisation_id": pk,
            "field": fields[n % len(fields)],
            "legal": rng.choice([Legal.REGISTERED, Legal.FILED, Legal.FILED, Legal.INCUBATING]),
            "leader": ctx.faker.name(),
            "members": rng.randint(8, 60),
            "service_area": "",
            "services": "",
            "active": rng.random() < 0.9,
            "founded": today - datetime.timedelta(days=rng.randint(60, 3000)),
        }
        for n, pk in enumerate(ids)
    ]
    bulk_insert(Profile, profiles)
    _activities(ctx, named, communities)
    _purchases(street, named)
    demo_user(ctx, "shekou-street", "蛇口街道社会组织科", "street_admin", street, where=street.name)
    demo_user(
        ctx,
        "shekou-community",
        "社区工作人员",
        "community_staff",
        communities[0],
        where=communities[0].name,
    )
    resident = (
        Person.objects.filter(
            household__building__estate__community=communities[0], user__isnull=True
        )
        .order_by("pk")
        .first()
    )
    demo_user(
        ctx,
        "shekou-resident",
        resident.name,
        "resident",
        communities[0],
        where=str(resident.household),
        person=resident,
        phone="13800000091",
    )
    ctx.log(f"  socialorgs: {Profile.objects.count()} organisations")


def _org(unit, code, name):
    return Organisation.objects.create(
        kind=OrganisationKind.SOCIAL, code=code, name=name, unit=unit
    )


def _activities(ctx, named, communities):
    rng = ctx.rng
    people = list(
        Person.objects.filter(household__building__estate__community__in=communities).order_by(
            "pk"
        )[:400]
    )
    now = timezone.now()
    titles = {
        Field.ELDERLY: ["长者生日会", "健康讲座", "智能手机课堂"],
        Field.YOUTH: ["四点半课堂", "周末亲子阅读", "暑期科创营"],
        Field.VOLUNTEER: ["海滨清洁行动", "敬老院探访", "社区义剪"],
    }
    for month in range(12, -1, -1):
        for org, field in named:
            starts = (now - datetime.timedelta(days=30 * month - rng.randint(0, 20))).replace(
                minute=0, second=0, microsecond=0
            )
            if month == 0:
                starts = now + datetime.timedelta(days=rng.randint(2, 10))
            activity = Activity.objects.create(
                organisation=org,
                title=rng.choice(titles[field]),
                place=f"{org.unit.name}活动室",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=2),
                capacity=30,
                signup_opens=starts - datetime.timedelta(days=10),
                signup_closes=starts,
            )
            joined = rng.sample(people, rng.randint(10, 30))
            for person in joined:
                try:
                    services.signup(
                        actor=_Resident(person),
                        activity=activity,
                        now=starts - datetime.timedelta(days=2),
                    )
                except (ValidationError, Http404):  # outside the organisation's area
                    continue
            if month:
                Signup.objects.filter(activity=activity, state=SignupState.CONFIRMED).update(
                    state=SignupState.ATTENDED, checked_in_at=starts
                )


def _purchases(street, named):
    today = timezone.localdate()
    plans = [
        (
            named[0][0],
            "居家养老上门服务",
            Decimal("600000"),
            300,
            [("上门探访", 600), ("健康讲座", 40)],
            0.55,
        ),
        (named[1][0], "青少年四点半课堂", Decimal("240000"), 200, [("课堂课时", 400)], 0.2),
        (named[2][0], "社区志愿服务体系建设", Decimal("150000"), 400, [("志愿活动", 120)], 0.95),
    ]
    for org, title, budget, days_ago, deliverables, done in plans:
        purchase = services.purchase_create(
            actor=SYSTEM,
            buyer=street,
            organisation=org,
            title=title,
            budget=budget,
            starts=today - datetime.timedelta(days=days_ago),
            ends=today - datetime.timedelta(days=days_ago) + datetime.timedelta(days=365),
            deliverables=deliverables,
            instalments=[
                ("启动", 0, budget * Decimal("0.3")),
                ("中期", 50, budget * Decimal("0.4")),
                ("结项", 100, budget * Decimal("0.3")),
            ],
        )
        for deliverable in purchase.deliverables.all():
            services.report_submit(
                actor=SYSTEM, deliverable=deliverable, amount=max(1, int(deliverable.target * done))
            )
        for instalment in purchase.instalments.order_by("percent_done"):
            try:
                services.instalment_pay(actor=SYSTEM, instalment=instalment)
            except ValidationError:  # the milestone is not reached yet
                break
