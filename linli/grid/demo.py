"""天津市和平区新兴街道: party branches, grid workers with pledges, six months of events in every
state (some overdue and escalated), and a special-care register with helpers and visits."""

import datetime

from django.db import transaction
from django.utils import timezone

from linli.accounts.models import RoleGrant, User
from linli.core.scoping import SYSTEM, Actor
from linli.grid import services
from linli.grid.choices import Tier, Urgency, VisitMethod
from linli.grid.models import Boundary, Branch, CareGroup, Category, Event
from linli.org.choices import UnitKind
from linli.org.models import Building, OrgUnit, Person

ORDER = 20
EVENTS = 180
TOPICS = {
    "environment": ["楼道堆放杂物", "垃圾桶满溢无人清运", "绿化带被占用种菜"],
    "repair": ["单元门禁损坏", "楼道灯不亮", "雨水管破裂", "路面坑洼积水"],
    "mediation": ["楼上漏水邻里纠纷", "广场舞噪音扰民", "停车位争执"],
    "safety": ["电动车楼道充电", "消防通道被占", "老旧电线裸露"],
    "errand": ["老人代办医保报销", "代办居住证明", "残疾证年审代办"],
    "policy": ["居民咨询养老补贴政策", "垃圾分类政策宣传"],
}
PLEDGES = (
    "共产党员 · 网格党支部委员",
    "有事找我，小事不出网格，24小时内上门",
    "负责本网格12栋楼的走访、代办和矛盾调解",
)


def _square(lng, lat, d=0.004):
    ring = [[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


@transaction.atomic
def load(ctx):
    services.defaults_ensure()
    street = OrgUnit.objects.get(kind=UnitKind.STREET, code="xinxing")
    grids = list(
        OrgUnit.objects.filter(kind=UnitKind.GRID, path__startswith=street.path).order_by("path")
    )
    workers = _workers(ctx, grids)
    for n, grid in enumerate(grids):
        Branch.objects.create(grid=grid, name=f"{grid.name}党支部", members=ctx.rng.randint(8, 30))
        Boundary.objects.create(
            grid=grid, geojson=_square(117.19 + 0.005 * (n % 3), 39.11 + 0.005 * (n // 3))
        )
    _events(ctx, street, grids, workers)
    _care(ctx, grids, workers)
    services.events_sweep()
    ctx.log(f"  grid: {Event.objects.count()} events in {len(grids)} grids")


def _workers(ctx, grids):
    """One worker per grid: the foundation's logins where they exist, new accounts elsewhere."""
    by_grid = {}
    for grant in RoleGrant.objects.filter(role="grid_worker", unit__in=grids).select_related(
        "user", "unit"
    ):
        by_grid.setdefault(grant.unit_id, grant.user)
    for grid in grids:
        user = by_grid.get(grid.pk)
        if user is None:
            user = User.objects.create(
                username=f"gw-{grid.code}", first_name=ctx.faker.name(), is_active=True
            )
            user.set_unusable_password()
            user.save()
            RoleGrant.objects.create(user=user, role="grid_worker", unit=grid)
            by_grid[grid.pk] = user
        party = ctx.rng.random() < 0.7
        services.worker_save(
            actor=SYSTEM,
            user=user,
            grid=grid,
            name=user.get_full_name() or user.username,
            phone=f"139{ctx.rng.randint(10000000, 99999999)}",
            party_member=party,
            pledge_identity=PLEDGES[0] if party else "",
            pledge_promise=PLEDGES[1] if party else "",
            pledge_duty=PLEDGES[2] if party else "",
        )
    return by_grid


def _events(ctx, street, grids, workers):
    rng = ctx.rng
    now = timezone.now()
    categories = {c.code: c for c in Category.objects.all()}
    # The street office accepts, dispatches and checks across all three communities.
    staff = checker = Actor(User.objects.get(username="street"))
    resident = Actor(User.objects.get(username="resident"))
    buildings = {g.pk: list(Building.objects.filter(grid=g)) for g in grids}
    for n in range(EVENTS):
        grid = grids[n % len(grids)]
        if not buildings[grid.pk]:
            continue
        code = rng.choice(list(TOPICS))
        title = rng.choice(TOPICS[code])
        reported = now - datetime.timedelta(days=rng.uniform(0.2, 180), hours=rng.randint(0, 8))
        worker = workers[grid.pk]
        by_resident = n % 9 == 0 and resident.person_id
        reporter = resident if by_resident else Actor(worker)
        building = (
            Person.objects.get(pk=resident.person_id).household.building
            if by_resident
            else rng.choice(buildings[grid.pk])
        )
        event = services.event_report(
            actor=reporter,
            title=title,
            description=f"{building}{title}，请尽快处理。",
            category=categories[code],
            urgency=rng.choice([Urgency.GENERAL] * 6 + [Urgency.URGENT] * 2 + [Urgency.COMPLEX]),
            building=building,
            now=reported,
        )
        fate = rng.random()
        if fate < 0.05:
            services.event_reject(
                actor=staff, event=event, reason="不属于网格事务，已告知当事人", now=reported
            )
            continue
        if fate < 0.1 and reported > now - datetime.timedelta(days=2):
            continue  # waiting for 立案
        _walk(
            event,
            staff,
            checker,
            Actor(worker),
            reported,
            now,
            rng,
            resident if by_resident else None,
        )


def _walk(event, staff, checker, worker, reported, now, rng, resident):
    step = datetime.timedelta(hours=rng.uniform(0.5, 3))
    t = reported + step
    services.event_accept(actor=staff, event=event, now=t)
    services.event_dispatch(actor=staff, event=event, assignee=worker.user, now=t)
    days = rng.choice([0.5, 1, 2, 3, 4, 6, 9])
    done = t + datetime.timedelta(days=days)
    if done > now:
        if rng.random() < 0.5:
            services.event_handle(
                actor=worker, event=event, note="已到现场查看，正在协调", now=t + step
            )
        return
    services.event_handle(actor=worker, event=event, note="已到现场，协调物业处理", now=t + step)
    services.event_feedback(actor=worker, event=event, note="问题已解决", now=done)
    if rng.random() < 0.08:
        services.event_check(
            actor=checker, event=event, passed=False, note="回访发现问题仍在", now=done + step
        )
        services.event_feedback(actor=worker, event=event, note="已返工处理", now=done + 2 * step)
    services.event_check(
        actor=checker, event=event, passed=True, note="电话回访确认", now=done + 3 * step
    )
    rater = resident or checker
    services.event_rate(
        actor=rater, event=event, rating=rng.choice([5, 5, 5, 4, 4, 3]), now=done + 4 * step
    )


def _care(ctx, grids, workers):
    rng = ctx.rng
    today = timezone.localdate()
    groups = {g.code: g for g in CareGroup.objects.all()}
    for grid in grids:
        elders = [
            p
            for p in Person.objects.filter(household__building__grid=grid).order_by("pk")
            if (p.age_on(today) or 0) >= 70
        ][:8]
        helper = workers[grid.pk]
        for n, person in enumerate(elders):
            chosen = [groups["aged"]] + (
                [groups["alone"]] if n % 2 == 0 else [groups["empty_nest"]]
            )
            if n % 5 == 0:
                chosen.append(groups["disabled"])
            record = services.care_register(
                actor=SYSTEM,
                person=person,
                groups=chosen,
                tier=[Tier.HIGH, Tier.KEY, Tier.KEY, Tier.GENERAL][n % 4],
                helper=helper,
                contact_name=ctx.faker.name(),
                contact_phone=f"138{rng.randint(10000000, 99999999)}",
            )
            start = timezone.now() - datetime.timedelta(days=120)
            at = start
            interval = {Tier.HIGH: 7, Tier.KEY: 30, Tier.GENERAL: 90}[record.tier]
            # The last one in each grid has missed its visit, to show the overdue list.
            stop = timezone.now() - datetime.timedelta(
                days=interval + 5 if n == len(elders) - 1 else 2
            )
            while at < stop:
                services.visit_record(
                    actor=Actor(helper),
                    record=record,
                    method=rng.choice([VisitMethod.IN_PERSON] * 3 + [VisitMethod.PHONE]),
                    note=rng.choice(
                        ["身体状况良好", "血压偏高，已提醒按时服药", "情绪不错，聊了家常"]
                    ),
                    needs=rng.choice([""] * 6 + ["需要代购降压药", "厨房水龙头漏水"]),
                    at=at,
                )
                at += datetime.timedelta(days=interval * rng.uniform(0.8, 1.0))
