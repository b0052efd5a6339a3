"""牛市口街道: a council per estate of 大观社区 with a year of deliberation and a parking round."""

from datetime import datetime, timedelta

from django.utils import timezone

from linli.accounts.models import RoleGrant, User
from linli.core.scoping import SYSTEM, Actor
from linli.council import choices as c
from linli.council import parking, services
from linli.org.choices import Relation
from linli.org.demo import demo_user
from linli.org.models import Estate, Household, OrgUnit, Person

ORDER = 50

TOPICS = [
    ("小区停车位不足，车辆乱停占用消防通道", "车位分配"),
    ("楼道电动车充电安全隐患", "安全"),
    ("物业服务费上涨是否合理", "物业"),
    ("垃圾分类投放点异味", "环境"),
    ("老旧电梯频繁故障", "设施"),
    ("广场舞噪音扰民", "邻里"),
    ("单元门禁损坏", "设施"),
    ("绿化带改建为晾晒区", "环境"),
    ("增设适老化扶手", "设施"),
    ("外卖车辆进出管理", "安全"),
    ("公共区域监控补盲", "安全"),
    ("屋顶漏水维修资金", "物业"),
]


def _at(days_ago, hour=19):
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, 0))


def load(ctx):
    community = OrgUnit.objects.get(code="niushikou-c1")
    estate = Estate.objects.get(code="niushikou-c1-e1")
    people = list(
        Person.objects.filter(
            household__building__estate=estate,
            user__isnull=True,
            memberships__relation=Relation.OWNER,
            memberships__until__isnull=True,
        ).order_by("pk")[:40]
    )
    staff_user = demo_user(
        ctx,
        "niushikou-community",
        "大观社区工作人员",
        "community_staff",
        community,
        where=community.name,
    )
    chair = demo_user(
        ctx,
        "niushikou-member",
        people[0].name,
        "resident",
        community,
        where=f"{estate.name}议事会主持人",
        person=people[0],
        phone="13800005001",
    )
    resident = demo_user(
        ctx,
        "niushikou-resident",
        people[1].name,
        "resident",
        community,
        where=str(people[1].household),
        person=people[1],
        phone="13800005002",
    )
    prop = demo_user(
        ctx,
        "niushikou-property",
        "物业经理",
        "property_manager",
        community,
        estate=estate,
        where=estate.name,
    )
    staff = Actor(staff_user)

    council = services.council_create(
        actor=SYSTEM,
        unit=community,
        estate=estate,
        name=f"{estate.name}邻里议事会",
        cosign_threshold=3,
        quorum={"resident": 2},
        objection_days=7,
    )
    start = timezone.localdate() - timedelta(days=400)
    seat_users = [chair]
    for i, person in enumerate(people[2:6]):
        user = User(username=f"niushikou-rep{i + 1}", first_name=person.name, person=person)
        user.set_unusable_password()
        user.save()
        RoleGrant.objects.create(user=user, role="resident", unit=community)
        seat_users.append(user)
    for i, user in enumerate(seat_users):
        services.seat_add(
            actor=SYSTEM,
            council=council,
            user=user,
            category=c.SeatCategory.RESIDENT,
            name=user.first_name,
            role=c.SeatRole.CHAIR if i == 0 else c.SeatRole.MEMBER,
            term_start=start,
        )
    secretary = services.seat_add(
        actor=SYSTEM,
        council=council,
        user=staff_user,
        category=c.SeatCategory.OTHER,
        name="社区工作人员",
        role=c.SeatRole.SECRETARY,
        term_start=start,
        affiliation=community.name,
    )
    pm_seat = services.seat_add(
        actor=SYSTEM,
        council=council,
        user=prop,
        category=c.SeatCategory.PROPERTY,
        name="物业经理",
        affiliation=str(estate.property_company or "物业公司"),
        term_start=start,
    )
    police = User(username="niushikou-police", first_name="社区民警")
    police.set_unusable_password()
    police.save()
    services.seat_add(
        actor=SYSTEM,
        council=council,
        user=police,
        category=c.SeatCategory.POLICE,
        name="社区民警",
        affiliation="牛市口派出所",
        term_start=start,
    )
    former = User(username="niushikou-former", first_name=people[6].name, person=people[6])
    former.set_unusable_password()
    former.save()
    services.seat_add(
        actor=SYSTEM,
        council=council,
        user=former,
        category=c.SeatCategory.RESIDENT,
        name=former.first_name,
        term_start=start,
        term_end=start + timedelta(days=180),
    )

    signers = [Actor(u) for u in seat_users[1:]] + [Actor(resident)]
    for n, (title, _kind) in enumerate(TOPICS):
        days_ago = 360 - n * 28
        proposer = Actor(resident if n % 2 else chair)
        topic = services.topic_propose(
            actor=proposer,
            council=council,
            title=title,
            body=f"{title}，请议事会协商。",
            now=_at(days_ago + 10),
        )
        for signer in signers[: 3 + n % 2]:
            if signer.user_id != proposer.user_id:
                services.topic_cosign(actor=signer, topic=topic, now=_at(days_ago + 8))
        if n == 7:
            services.topic_decide(
                actor=staff,
                topic=topic,
                decision="decline",
                reason="属于市政绿化范围，已转交街道城管科",
            )
            continue
        if n >= len(TOPICS) - 2:
            continue  # the latest topics are still collecting signatures
        services.topic_decide(actor=staff, topic=topic, decision="accept")
        _meeting(ctx, staff, council, topic, n, days_ago, seat_users, secretary, pm_seat)

    _parking(ctx, staff, council, estate, days_ago=40)
    ctx.log(f"  {council.name}: {len(TOPICS)} topics, parking round drawn")


def _meeting(ctx, staff, council, topic, n, days_ago, seat_users, secretary, pm_seat):
    meeting = services.meeting_create(
        actor=staff,
        council=council,
        title=f"第{n + 1}次议事会",
        starts_at=_at(days_ago),
        place="大观社区党群服务中心",
        topics=[topic],
    )
    for user in [*seat_users[:4], pm_seat.user, secretary.user]:
        services.meeting_checkin(
            actor=Actor(user), meeting=meeting, token=meeting.checkin_token, now=_at(days_ago)
        )
    resolution = services.resolution_propose(
        actor=staff,
        meeting=meeting,
        topic=topic,
        text=f"关于“{topic.title}”：由责任方在一个月内落实，议事会跟踪。",
        positions="居民代表：希望尽快解决；物业公司：同意配合，需业主支持；社区：协调资源。",
    )
    voters = [*seat_users[:4], secretary.user]
    if topic.title.startswith("物业服务费"):
        services.resolution_recuse(
            actor=staff, resolution=resolution, seat=pm_seat, reason="物业公司为利益相关方"
        )
    else:
        voters.append(pm_seat.user)
    for i, user in enumerate(voters):
        choice = "against" if i == 3 and n % 3 == 0 else "for"
        services.vote_cast(
            actor=Actor(user), resolution=resolution, choice=choice, now=_at(days_ago)
        )
    resolution = services.resolution_close(actor=staff, resolution=resolution)
    services.meeting_minutes(
        actor=staff, meeting=meeting, minutes=f"会议讨论了{topic.title}，各方充分发表意见后表决。"
    )
    resolution = services.resolution_publish(
        actor=staff, resolution=resolution, now=_at(days_ago - 1)
    )
    task = services.task_create(
        actor=staff,
        resolution=resolution,
        title=f"落实：{topic.title}",
        responsible="物业公司" if n % 2 else "社区居委会",
        due=(timezone.localdate() - timedelta(days=days_ago - 30)),
    )
    if n < 8:
        task = services.task_update(actor=staff, task=task, progress=100, note="已落实", done=True)
        services.task_rate(actor=Actor(seat_users[1]), task=task, stars=4 + n % 2)
    else:
        services.task_update(actor=staff, task=task, progress=40, note="正在推进")


def _parking(ctx, staff, council, estate, days_ago):
    parking_round = parking.round_create(
        actor=staff,
        council=council,
        title=f"{estate.name}地面车位分配",
        spaces=12,
        accessible_spaces=2,
        now=_at(days_ago + 14),
    )
    households = list(Household.objects.filter(building__estate=estate).order_by("pk")[:30])
    for i, household in enumerate(households):
        disabled = household.members.filter(
            until__isnull=True, person__tags__code="disabled"
        ).exists()
        parking.round_apply(
            actor=staff,
            parking_round=parking_round,
            household=household,
            accessible=disabled,
            now=_at(days_ago + 10),
        )
        if i % 7 == 0:
            parking.round_apply(
                actor=staff,
                parking_round=parking_round,
                household=household,
                second=True,
                now=_at(days_ago + 10),
            )
    parking.round_draw(
        actor=staff,
        parking_round=parking_round,
        public_value=str(ctx.rng.randint(10000, 99999)),
        now=_at(days_ago),
    )
