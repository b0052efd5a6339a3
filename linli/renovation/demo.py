"""广州市越秀区: one completed micro-renovation (survey, vote, supervision, acceptance) and one
in voting."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from linli.accounts.models import User
from linli.core.scoping import SYSTEM, SystemActor
from linli.org.choices import OWNING_RELATIONS
from linli.org.demo import demo_user
from linli.org.models import Estate, HouseholdMember, Person
from linli.renovation import services
from linli.renovation.choices import Funding, ItemClass, Matter
from linli.renovation.models import Elector

ORDER = 50


class _Owner(SystemActor):
    """Acts for an owner without a login, through the same services a phone uses."""

    def __init__(self, person_id):
        super().__init__()
        self.person_id = person_id


@transaction.atomic
def load(ctx):
    estate = Estate.objects.get(code="yuexiu-c1-e1")
    community = estate.community
    rng = ctx.rng
    done = services.project_create(
        actor=SYSTEM,
        estate=estate,
        title="盐运西小区雨污分流与楼道翻新",
        description="雨污分流、楼道墙面翻新、增设电动车充电桩。",
        budget=860000,
    )
    items = [
        services.item_add(
            actor=SYSTEM,
            project=done,
            cls=ItemClass.BASIC,
            title="雨污分流管网改造",
            cost=520000,
            funding=Funding.GOVERNMENT,
        ),
        services.item_add(
            actor=SYSTEM,
            project=done,
            cls=ItemClass.IMPROVE,
            title="楼道墙面翻新",
            cost=180000,
            funding=Funding.FUND,
        ),
        services.item_add(
            actor=SYSTEM,
            project=done,
            cls=ItemClass.UPGRADE,
            title="电动车集中充电桩",
            cost=160000,
            funding=Funding.UNITS,
        ),
    ]
    survey = services.survey_open(actor=SYSTEM, project=done, question="您支持哪些改造内容？")
    owners = list(
        HouseholdMember.objects.filter(
            household__building__estate=estate, relation__in=OWNING_RELATIONS, until__isnull=True
        ).values_list("person_id", flat=True)
    )
    for person_id in rng.sample(owners, int(len(owners) * 0.6)):
        try:
            services.survey_answer(
                actor=_Owner(person_id),
                survey=survey,
                items=[i for i in items if rng.random() < 0.8],
                text=rng.choice(["", "希望尽快施工", "施工期间注意噪音"]),
            )
        except ValidationError:  # several owners of one household: the first answer stands
            continue
    survey.open = False
    survey.save(update_fields=["open"])
    past = timezone.now() - datetime.timedelta(days=200)
    vote = services.vote_create(
        actor=SYSTEM,
        project=done,
        title="使用维修资金翻新楼道",
        matter=Matter.USE_FUND,
        item=items[1],
    )
    vote = services.vote_open(
        actor=SYSTEM, vote=vote, closes_at=past + datetime.timedelta(days=14), now=past
    )
    _ballots(rng, vote, 0.85, 0.8, past + datetime.timedelta(days=3))
    services.vote_close(actor=SYSTEM, vote=vote, now=past + datetime.timedelta(days=15))
    services.vote_publish(actor=SYSTEM, vote=vote, now=past + datetime.timedelta(days=15))
    supervisor = demo_user(
        ctx, "yuexiu-supervisor", "监督小组组长", "resident", community, where=estate.name
    )
    services.supervisor_add(actor=SYSTEM, project=done, user=supervisor)
    for n, note in enumerate(
        ["管网开挖，围挡规范", "发现3栋楼道墙面空鼓", "墙面已返工", "充电桩通电测试正常"]
    ):
        log = services.inspection_log(
            actor=_Supervisor(supervisor),
            project=done,
            note=note,
            finding=n == 1,
            now=past + datetime.timedelta(days=30 + 20 * n),
        )
        if n == 1:
            services.rectify(actor=SYSTEM, inspection=log, note="施工方已返工")
    for party in ("community", "supervisor", "contractor"):
        services.acceptance_sign(
            actor=_Supervisor(supervisor) if party == "supervisor" else SYSTEM,
            project=done,
            party=party,
            contractor="越秀城建工程公司",
            checklist=["管网闭水试验合格", "墙面平整无空鼓", "充电桩验收合格"],
        )
    done.spent, done.fund_used = 842300, 176500
    done.save(update_fields=["spent", "fund_used"])

    lift = services.project_create(
        actor=SYSTEM,
        estate=estate,
        title="1栋加装电梯",
        building=estate.buildings.order_by("pk").first(),
        budget=650000,
    )
    lift_item = services.item_add(
        actor=SYSTEM,
        project=lift,
        cls=ItemClass.UPGRADE,
        title="1栋1单元加装电梯",
        cost=650000,
        funding=Funding.RESIDENTS,
    )
    vote = services.vote_create(
        actor=SYSTEM,
        project=lift,
        title="1栋加装电梯",
        item=lift_item,
        matter=Matter.REBUILD,
        building=lift.building,
    )
    vote = services.vote_open(
        actor=SYSTEM, vote=vote, closes_at=timezone.now() + datetime.timedelta(days=10)
    )
    voter = _ballots(rng, vote, 0.5, 0.75, timezone.now() - datetime.timedelta(days=2))
    demo_user(
        ctx, "yuexiu-staff", "社区工作人员", "community_staff", community, where=community.name
    )
    person = Person.objects.get(pk=voter)
    demo_user(
        ctx,
        "yuexiu-owner",
        person.name,
        "resident",
        community,
        where=str(person.household),
        person=person,
        phone="13800000051",
    )


class _Supervisor(SystemActor):
    def __init__(self, user):
        super().__init__()
        self.user = user
        self.user_id = user.pk


def _ballots(rng, vote, turnout, support, at):
    """Ballots for a share of the roll; returns an owner without a login who has not voted."""
    spare = None
    for elector in Elector.objects.filter(vote=vote).order_by("pk"):
        if rng.random() > turnout:
            if spare is None and not User.objects.filter(person_id=elector.person_id).exists():
                spare = elector.person_id
            continue
        choice = "for" if rng.random() < support else rng.choice(["against", "abstain"])
        services.ballot_online(actor=_Owner(elector.person_id), vote=vote, choice=choice, now=at)
    return spare
