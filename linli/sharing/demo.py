"""Demo: 七宝镇 communities A, B and C share A's kindergarten places, B's sports hall and C's
medical team, with a season of bookings between them (September to mid-December 2026)."""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from linli.accounts import services as accounts
from linli.accounts.models import RoleGrant, User
from linli.core.scoping import SYSTEM, Actor
from linli.org.choices import OrganisationKind
from linli.org.models import Organisation, OrgUnit, Person
from linli.sharing import services
from linli.sharing.choices import Reach, ResourceKind, Status

ORDER = 60
TZ = ZoneInfo("Asia/Shanghai")
SEASON_START = datetime.date(2026, 9, 1)
TODAY = datetime.date(2026, 11, 28)
SEASON_END = datetime.date(2026, 12, 12)
RESIDENTS_PER_COMMUNITY = 8


def _staff(ctx, username, name, role, unit, **grant):
    user = User(username=username, first_name=name)
    user.set_password(ctx.password)
    user.save()
    RoleGrant.objects.create(user=user, role=role, unit=unit, **grant)
    ctx.add_login(username, role, grant.get("organisation") or unit.name)
    return user


def _residents(ctx, community, first_username=None):
    people = Person.objects.filter(
        household__building__estate__community=community, user__isnull=True
    ).order_by("pk")[: RESIDENTS_PER_COMMUNITY * 3 : 3]
    users = []
    for i, person in enumerate(people):
        username = first_username if i == 0 and first_username else None
        user = accounts.resident_account_create(
            actor=SYSTEM,
            person=person,
            password=ctx.password,
            username=username or f"qibao-{community.code[-2:]}-r{i}",
            check_password=False,
        )
        users.append(user)
    if first_username:
        ctx.add_login(first_username, "resident", f"{community.name} {people[0].household}")
    return users


def _hours(days, *spans):
    return [
        (d, datetime.time(*opens), datetime.time(*closes)) for d in days for opens, closes in spans
    ]


def load(ctx):
    street = OrgUnit.objects.get(code="qibao")
    a, b, c = (OrgUnit.objects.get(code=f"qibao-c{n}") for n in (1, 2, 3))
    team = Organisation.objects.create(
        kind=OrganisationKind.OTHER,
        code="qibao-c3-medical",
        name="C社区卫生服务站家庭医生团队",
        unit=c,
        contact_name=ctx.faker.name(),
        contact_phone=ctx.faker.phone_number(),
    )
    staff = {
        a: _staff(ctx, "qibao-a-staff", "A社区工作人员", "community_staff", a),
        b: _staff(ctx, "qibao-b-staff", "B社区工作人员", "community_staff", b),
        c: _staff(ctx, "qibao-c-staff", "C社区工作人员", "community_staff", c),
    }
    _staff(ctx, "qibao-street", "七宝镇管理员", "street_admin", street)
    residents = {
        a: _residents(ctx, a),
        b: _residents(ctx, b, "qibao-b-resident"),
        c: _residents(ctx, c),
    }
    kindergarten = services.resource_create(
        actor=SYSTEM,
        owner_unit=a,
        code="qibao-a-kindergarten",
        name="A社区幼儿园托育名额",
        kind=ResourceKind.PLACES,
        description="A社区幼儿园空余的半日托育名额，面向全镇 2-3 岁幼儿家庭。",
        location="A社区幼儿园一楼",
        capacity=6,
        slot_minutes=120,
        reach=Reach.STREET,
        needs_approval=True,
        min_notice_hours=24,
        max_notice_days=21,
        max_duration_minutes=240,
        max_per_week=2,
        hours=_hours(range(5), ((8, 0), (12, 0)), ((13, 0), (17, 0))),
    )
    hall = services.resource_create(
        actor=SYSTEM,
        owner_unit=b,
        code="qibao-b-sports-hall",
        name="B社区体育馆羽毛球场",
        kind=ResourceKind.SPORTS,
        description="四片羽毛球场，每时段可供 4 组预约。",
        location="B社区文体中心二楼",
        capacity=4,
        slot_minutes=60,
        reach=Reach.STREET,
        needs_approval=False,
        min_notice_hours=2,
        max_notice_days=14,
        max_duration_minutes=120,
        max_per_week=2,
        hours=_hours(range(7), ((8, 0), (21, 0))),
    )
    clinic = services.resource_create(
        actor=SYSTEM,
        owner_unit=c,
        organisation=team,
        code="qibao-c-medical-team",
        name="C社区家庭医生团队义诊/健康讲座",
        kind=ResourceKind.TEAM,
        description="家庭医生团队进社区义诊或健康讲座，由社区或社会组织申请。",
        location="申请方社区",
        capacity=1,
        slot_minutes=120,
        reach=Reach.STREET,
        needs_approval=True,
        min_notice_hours=72,
        max_notice_days=60,
        max_duration_minutes=240,
        max_per_week=1,
        hours=_hours((2, 5), ((9, 0), (11, 0)), ((14, 0), (16, 0))),
    )
    services.exception_set(
        actor=SYSTEM, resource=hall, date=datetime.date(2026, 10, 1), note="国庆闭馆"
    )
    services.exception_set(
        actor=SYSTEM, resource=kindergarten, date=datetime.date(2026, 12, 11), note="园内消杀"
    )
    for owner in (a, b, c):
        for borrower in (a, b, c):
            if owner != borrower:
                services.quota_set(
                    actor=SYSTEM, owner_unit=owner, borrower_unit=borrower, monthly_hours=60
                )
    made = _season(ctx, kindergarten, hall, clinic, residents, staff)
    ctx.log(f"  七宝镇资源共享: {made} bookings")


def _season(ctx, kindergarten, hall, clinic, residents, staff):
    rng = ctx.rng
    made = 0
    day = SEASON_START
    while day <= SEASON_END:
        for resource, per_day, hours in (
            (hall, 6, range(8, 20)),
            (kindergarten, 2, (8, 10, 13, 15)),
        ):
            for _n in range(per_day if day.weekday() < 5 else per_day // 2 + 1):
                borrower = rng.choice([u for u in residents if u != resource.owner_unit])
                if rng.random() < 0.25:
                    borrower = resource.owner_unit
                user = rng.choice(residents[borrower])
                start = datetime.datetime.combine(
                    day, datetime.time(rng.choice(list(hours))), tzinfo=TZ
                )
                made += _book(rng, user, resource, start, staff[resource.owner_unit])
        if day.weekday() in (2, 5) and rng.random() < 0.6:
            borrower = rng.choice([u for u in residents if u != clinic.owner_unit])
            start = datetime.datetime.combine(day, datetime.time(rng.choice((9, 14))), tzinfo=TZ)
            made += _book(
                rng,
                staff[borrower],
                clinic,
                start,
                staff[clinic.owner_unit],
                purpose=rng.choice(("老年人慢病义诊", "高血压健康讲座", "儿童口腔检查")),
            )
        day += datetime.timedelta(days=1)
    return made


def _book(rng, user, resource, start, owner_staff, purpose=""):
    end = start + datetime.timedelta(minutes=resource.slot_minutes)
    booked_at = start - datetime.timedelta(days=rng.randint(3, 6))
    try:
        booking = services.booking_create(
            actor=Actor(user),
            resource=resource,
            start=start,
            end=end,
            purpose=purpose,
            now=booked_at,
        )
    except ValidationError:
        return 0
    owner = Actor(owner_staff)
    if start.date() >= TODAY:
        if booking.status == Status.PENDING and rng.random() < 0.5:
            services.booking_decide(actor=owner, booking=booking, approve=True)
        return 1
    if booking.status == Status.PENDING:
        services.booking_decide(actor=owner, booking=booking, approve=True)
    if rng.random() < 0.9:
        services.booking_check_in(actor=owner, booking=booking, now=start)
    else:
        booking.status = Status.NO_SHOW
        booking.save(update_fields=["status"])
    return 1
