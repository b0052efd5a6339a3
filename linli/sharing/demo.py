"""上海市闵行区七宝镇: community A shares kindergarten places, B its sports venue, C its medical
team's sessions; a season of bookings between them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from linli.core.scoping import SystemActor
from linli.org.choices import UnitKind
from linli.org.demo import demo_user
from linli.org.models import OrgUnit, Person
from linli.sharing import services
from linli.sharing.choices import Audience, BookingState
from linli.sharing.models import Booking, Kind, Quota

ORDER = 80
WEEKDAYS = range(5)


class _Resident(SystemActor):
    """Books as the system on a resident's behalf; the booking counts for their community."""

    def __init__(self, person):
        super().__init__()
        self.person_id = person.pk


def _hours(days, opens, closes):
    return [(d, datetime.time(opens), datetime.time(closes)) for d in days]


@transaction.atomic
def load(ctx):
    services.kinds_ensure()
    street = OrgUnit.objects.get(kind=UnitKind.STREET, code="qibao")
    a, b, c = OrgUnit.objects.filter(
        kind=UnitKind.COMMUNITY, path__startswith=street.path
    ).order_by("path")
    system = SystemActor()
    kind = {k.code: k for k in Kind.objects.all()}
    kindergarten = services.resource_save(
        actor=system,
        unit=a,
        kind=kind["places"],
        name="A社区幼儿园托育名额",
        description="周一至周五半日托育，每时段10个名额，面向七宝镇居民。",
        location="A社区幼儿园",
        capacity=10,
        slot_minutes=240,
        max_duration_minutes=240,
        needs_approval=True,
        audience=Audience.STREET,
        hours=_hours(WEEKDAYS, 8, 16),
        min_notice_hours=12,
        max_per_week=5,
    )
    venue = services.resource_save(
        actor=system,
        unit=b,
        kind=kind["sports"],
        name="B社区室内篮球场",
        description="标准半场，晚间及周末开放。",
        location="B社区文体中心",
        capacity=1,
        slot_minutes=60,
        max_duration_minutes=120,
        audience=Audience.STREET,
        hours=_hours(range(7), 9, 21),
        min_notice_hours=2,
    )
    clinic = services.resource_save(
        actor=system,
        unit=c,
        kind=kind["team"],
        name="C社区医疗团队义诊",
        description="社区医生团队每周六上午义诊、健康讲座，每场20个名额。",
        location="C社区卫生服务站",
        capacity=20,
        slot_minutes=120,
        max_duration_minutes=120,
        audience=Audience.STREET,
        hours=_hours([5], 9, 11),
        min_notice_hours=4,
    )
    for resource in (kindergarten, venue, clinic):
        for community in (a, b, c):
            if community.pk != resource.unit_id:
                Quota.objects.create(resource=resource, community=community, hours_per_month=60)
    people = {
        unit.pk: list(
            Person.objects.filter(household__building__estate__community=unit).order_by("pk")[:120]
        )
        for unit in (a, b, c)
    }
    _season(ctx, [(kindergarten, 240), (venue, 60), (clinic, 120)], people)
    _logins(ctx, street, a, b, c, people)
    ctx.log(f"  sharing: {Booking.objects.count()} bookings")


def _season(ctx, resources, people):
    rng = ctx.rng
    now = timezone.now()

    for days_ago in range(60, -14, -1):
        day = timezone.localdate() - datetime.timedelta(days=days_ago)
        for resource, minutes in resources:
            spans = services.opening(resource, day)
            if not spans:
                continue
            for opens, closes in spans:
                cursor = opens
                while cursor + datetime.timedelta(minutes=minutes) <= closes:
                    for _n in range(rng.randint(0, 3)):
                        community = rng.choice(list(people))
                        person = rng.choice(people[community])
                        start = cursor
                        try:
                            with transaction.atomic():
                                booking = services.booking_create(
                                    actor=_Resident(person),
                                    resource=resource,
                                    start=start,
                                    end=start + datetime.timedelta(minutes=minutes),
                                    purpose=rng.choice(["", "家庭使用", "孩子托管", "体检咨询"]),
                                    now=start - datetime.timedelta(days=2),
                                )
                        except ValidationError:
                            continue
                        if booking.state == BookingState.PENDING and rng.random() < 0.9:
                            booking.state = BookingState.APPROVED
                        if start < now and booking.state == BookingState.APPROVED:
                            booking.state = (
                                BookingState.CHECKED_IN
                                if rng.random() < 0.9
                                else BookingState.NO_SHOW
                            )
                            booking.checked_in_at = start
                        booking.save(update_fields=["state", "checked_in_at"])
                    cursor += datetime.timedelta(minutes=minutes)


def _logins(ctx, street, a, b, c, people):
    demo_user(ctx, "qibao-street", "七宝镇管理员", "street_admin", street, where=street.name)
    demo_user(ctx, "qibao-a-staff", "A社区工作人员", "community_staff", a, where=a.name)
    demo_user(ctx, "qibao-c-staff", "C社区工作人员", "community_staff", c, where=c.name)
    resident = next(p for p in people[b.pk] if not hasattr(p, "user"))
    demo_user(
        ctx,
        "qibao-b-resident",
        resident.name,
        "resident",
        b,
        where=str(resident.household),
        person=resident,
        phone="13800000081",
    )
