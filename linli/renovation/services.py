"""Every write of micro-renovation. The vote follows Civil Code art. 278 (DOMAIN.md §1)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit, notify
from linli.core.bulk import bulk_insert
from linli.core.scoping import authorize
from linli.org.choices import OWNING_RELATIONS, Relation
from linli.org.models import Household, HouseholdMember
from linli.renovation.choices import (
    RULE_VERSION,
    SUPERMAJORITY,
    Channel,
    Choice,
    Stage,
    VoteState,
)
from linli.renovation.models import (
    Acceptance,
    Ballot,
    Elector,
    Inspection,
    Item,
    Nomination,
    Objection,
    Project,
    Response,
    Survey,
    Vote,
)

OBJECTION_DAYS = 7


# --- projects -------------------------------------------------------------------------------


@transaction.atomic
def project_create(*, actor, estate, title, source=None, building=None, description="", budget=0):
    """Start a project; ``source`` links it to what started it (e.g. a council resolution)."""
    authorize(actor, "renovation.manage", estate)
    source = source or {}
    project = Project(
        estate=estate,
        building=building,
        title=title,
        description=description,
        budget=budget,
        source_kind=source.get("kind", ""),
        source_id=str(source.get("id", "")),
        source_label=source.get("label", "")[:200],
        source_url=source.get("url", "")[:200],
    )
    project.full_clean()
    project.save()
    audit.record(actor, "renovation.project_create", project, source=source.get("kind", ""))
    return project


@transaction.atomic
def item_add(*, actor, project, cls, title, cost, funding, scope_note=""):
    authorize(actor, "renovation.manage", project)
    item = Item(
        project=project, cls=cls, title=title, cost=cost, funding=funding, scope_note=scope_note
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def project_stage(*, actor, project, stage, spent=None, fund_used=None):
    authorize(actor, "renovation.manage", project)
    project.stage = stage
    if spent is not None:
        project.spent = spent
    if fund_used is not None:
        project.fund_used = fund_used
    project.save(update_fields=["stage", "spent", "fund_used"])
    return project


# --- surveys --------------------------------------------------------------------------------


@transaction.atomic
def survey_open(*, actor, project, question):
    authorize(actor, "renovation.manage", project)
    survey, _created = Survey.objects.get_or_create(
        project=project, defaults={"question": question}
    )
    return survey


def _my_household(actor, project):
    if not actor.person_id:
        raise PermissionDenied
    member = (
        HouseholdMember.objects.filter(
            person_id=actor.person_id,
            until__isnull=True,
            household__building__estate=project.estate,
        )
        .select_related("household")
        .first()
    )
    if member is None:
        raise ValidationError(_("您不是本小区住户"))
    return member.household


@transaction.atomic
def survey_answer(*, actor, survey, items, text=""):
    if not survey.open:
        raise ValidationError(_("征求意见已结束"))
    household = _my_household(actor, survey.project)
    try:
        with transaction.atomic():
            response = Response.objects.create(survey=survey, household=household, text=text[:500])
    except IntegrityError as exc:
        raise ValidationError(_("您家已提交过意见")) from exc
    response.items.set([i for i in items if i.project_id == survey.project_id])
    return response


# --- votes: the roll ------------------------------------------------------------------------


def _units(vote):
    qs = Household.objects.filter(building__estate=vote.project.estate, area__isnull=False)
    if vote.building_id:
        qs = qs.filter(building=vote.building)
    if vote.stairwell_id:
        qs = qs.filter(stairwell=vote.stairwell)
    return qs


@transaction.atomic
def vote_create(
    *, actor, project, title, matter, item=None, building=None, stairwell=None, secret=True
):
    authorize(actor, "renovation.manage", project)
    vote = Vote(
        project=project,
        item=item,
        title=title,
        matter=matter,
        building=building,
        stairwell=stairwell,
        secret=secret,
    )
    vote.full_clean()
    vote.save()
    return vote


@transaction.atomic
def nominate(*, actor, vote, household, person):
    """Co-owners of ``household`` name ``person`` (one of them) to vote for the unit."""
    authorize(actor, "renovation.manage", vote)
    if vote.state != VoteState.DRAFT:
        raise ValidationError(_("表决已开始，不能更改投票人"))
    if not HouseholdMember.objects.filter(
        household=household, person=person, relation__in=OWNING_RELATIONS, until__isnull=True
    ).exists():
        raise ValidationError(_("只能指定该房屋的业主"))
    made, _created = Nomination.objects.update_or_create(
        vote=vote, household=household, defaults={"person": person}
    )
    return made


def roll(vote):
    """{person_id: (area, units, label)}: each unit's voter (nominated, else the owner, else
    the earliest co-owner) with the areas of all their units summed."""
    nominated = dict(vote.nominations.values_list("household_id", "person_id"))
    units = dict(_units(vote).values_list("pk", "area"))
    owners = {}
    for household_id, person_id, relation in (
        HouseholdMember.objects.filter(
            household_id__in=units, relation__in=OWNING_RELATIONS, until__isnull=True
        )
        .order_by("household_id", "since", "pk")
        .values_list("household_id", "person_id", "relation")
    ):
        current = owners.get(household_id)
        if current is None or (relation == Relation.OWNER and current[1] != Relation.OWNER):
            owners[household_id] = (person_id, relation)
    voters = {}
    for household_id, area in units.items():
        person_id = nominated.get(household_id) or (owners.get(household_id) or (None,))[0]
        if person_id is None:
            continue
        total, count = voters.get(person_id, (Decimal(0), 0))
        voters[person_id] = (total + area, count + 1)
    return voters


@transaction.atomic
def vote_open(*, actor, vote, closes_at, now=None):
    authorize(actor, "renovation.manage", vote)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.state != VoteState.DRAFT:
        raise ValidationError(_("表决已开始"))
    voters = roll(vote)
    if not voters:
        raise ValidationError(_("表决范围内没有登记业主"))
    from linli.org.models import Person

    names = dict(Person.objects.filter(pk__in=voters).values_list("pk", "name"))
    bulk_insert(
        Elector,
        (
            {
                "vote_id": vote.pk,
                "person_id": pid,
                "area": area,
                "units": units,
                "label": (names.get(pid, "")[:1] + "**"),
            }
            for pid, (area, units) in voters.items()
        ),
    )
    vote.state = VoteState.OPEN
    vote.opened_at = now or timezone.now()
    vote.closes_at = closes_at
    vote.rule_version = RULE_VERSION
    vote.save(update_fields=["state", "opened_at", "closes_at", "rule_version"])
    vote.project.stage = Stage.VOTING
    vote.project.save(update_fields=["stage"])
    audit.record(actor, "renovation.vote_open", vote, electors=len(voters))
    return vote


# --- ballots --------------------------------------------------------------------------------


def _cast(vote, elector, choice, channel, entered_by, now, **extra):
    if vote.state != VoteState.OPEN or (vote.closes_at and now > vote.closes_at):
        raise ValidationError(_("表决不在进行中"))
    if choice not in Choice.values:
        raise ValidationError(_("请选择同意、反对或弃权"))
    ballot = Ballot(
        vote=vote,
        elector=elector,
        choice=choice,
        channel=channel,
        entered_by=entered_by,
        at=now,
        **extra,
    )
    try:
        with transaction.atomic():
            ballot.save()
    except IntegrityError as exc:
        raise ValidationError(_("该业主已投票（每位业主只能投一票，不论线上还是纸质）")) from exc
    return ballot


@transaction.atomic
def ballot_online(*, actor, vote, choice, now=None):
    elector = Elector.objects.filter(vote=vote, person_id=actor.person_id).first()
    if elector is None:
        raise ValidationError(_("您不在本次表决的业主名册中"))
    return _cast(vote, elector, choice, Channel.ONLINE, actor.user, now or timezone.now())


@transaction.atomic
def ballot_enter(
    *,
    actor,
    vote,
    elector,
    choice,
    channel,
    photo=None,
    proxy_name="",
    proxy_document=None,
    now=None,
):
    """Staff enter a paper, door-to-door or proxy ballot, with the photo of the signed ballot
    (and the authorisation for a proxy)."""
    authorize(actor, "renovation.enter_ballot", vote)
    if elector.vote_id != vote.pk:
        raise ValidationError(_("该业主不在本次表决名册中"))
    if channel not in (Channel.PAPER, Channel.DOOR, Channel.PROXY):
        raise ValidationError(_("请选择纸质、上门或委托"))
    if channel in (Channel.PAPER, Channel.DOOR) and not photo:
        raise ValidationError(_("请上传签名表决票照片"))
    if channel == Channel.PROXY and not (proxy_name.strip() and proxy_document):
        raise ValidationError(_("委托投票须登记受托人并上传授权委托书"))
    extra = {"proxy_name": proxy_name}
    if photo:
        extra["photo"] = photo
    if proxy_document:
        extra["proxy_document"] = proxy_document
    ballot = _cast(vote, elector, choice, channel, actor.user, now or timezone.now(), **extra)
    audit.record(actor, "renovation.ballot_enter", vote, channel=channel, elector=elector.pk)
    return ballot


# --- tally ----------------------------------------------------------------------------------


def tally(vote):
    """Participation and approval by area and by head, with what is still needed.

    Two aggregate queries over the roll and the ballots, so it stays fast at estate scale.
    """
    roll_totals = Elector.objects.filter(vote=vote).aggregate(area=Sum("area"), heads=Count("id"))
    cast = Ballot.objects.filter(vote=vote).aggregate(
        area=Sum("elector__area"),
        heads=Count("id"),
        for_area=Sum("elector__area", filter=Q(choice=Choice.FOR)),
        for_heads=Count("id", filter=Q(choice=Choice.FOR)),
        against_area=Sum("elector__area", filter=Q(choice=Choice.AGAINST)),
        against_heads=Count("id", filter=Q(choice=Choice.AGAINST)),
    )
    return decide(
        vote.matter,
        total_area=roll_totals["area"] or Decimal(0),
        total_heads=roll_totals["heads"] or 0,
        part_area=cast["area"] or Decimal(0),
        part_heads=cast["heads"] or 0,
        for_area=cast["for_area"] or Decimal(0),
        for_heads=cast["for_heads"] or 0,
        against_area=cast["against_area"] or Decimal(0),
        against_heads=cast["against_heads"] or 0,
    )


def decide(
    matter,
    *,
    total_area,
    total_heads,
    part_area,
    part_heads,
    for_area,
    for_heads,
    against_area=Decimal(0),
    against_heads=0,
):
    """The art. 278 rule in exact arithmetic (Decimal areas, integer heads)."""
    participation_ok = 3 * part_area >= 2 * total_area and 3 * part_heads >= 2 * total_heads
    if matter in SUPERMAJORITY:
        approved = 4 * for_area >= 3 * part_area and 4 * for_heads >= 3 * part_heads
        rule = "3/4"
    else:
        approved = 2 * for_area > part_area and 2 * for_heads > part_heads
        rule = ">1/2"
    need_area = max(Decimal("0.00"), _ceil_fraction(total_area * 2, 3) - part_area)
    need_heads = max(0, -(-2 * total_heads // 3) - part_heads)
    return {
        "rule": rule,
        "rule_version": RULE_VERSION,
        "total_area": str(total_area),
        "total_heads": total_heads,
        "part_area": str(part_area),
        "part_heads": part_heads,
        "for_area": str(for_area),
        "for_heads": for_heads,
        "against_area": str(against_area),
        "against_heads": against_heads,
        "participation_ok": bool(participation_ok and total_heads),
        "approved": bool(participation_ok and approved and part_heads),
        "need_part_area": str(need_area),
        "need_part_heads": need_heads,
        "part_area_pct": _pct(part_area, total_area),
        "part_heads_pct": _pct(part_heads, total_heads),
        "for_area_pct": _pct(for_area, part_area),
        "for_heads_pct": _pct(for_heads, part_heads),
    }


def _ceil_fraction(numerator, denominator):
    """Smallest area (to the cent) that is at least numerator/denominator."""
    # Areas have two decimals, so this is exact in integers (Decimal // truncates toward zero).
    cents = -(-int(numerator * 100) // denominator)
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _pct(part, whole):
    return round(float(part) * 100 / float(whole), 1) if whole else 0.0


@transaction.atomic
def vote_close(*, actor, vote, now=None):
    """Ballots are frozen; the result is computed with the rule version stamped."""
    authorize(actor, "renovation.manage", vote)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.state != VoteState.OPEN:
        raise ValidationError(_("表决不在进行中"))
    vote.state = VoteState.CLOSED
    vote.closed_at = now or timezone.now()
    vote.result = tally(vote)
    vote.save(update_fields=["state", "closed_at", "result"])
    audit.record(actor, "renovation.vote_close", vote, approved=vote.result["approved"])
    return vote


@transaction.atomic
def vote_publish(*, actor, vote, now=None):
    authorize(actor, "renovation.manage", vote)
    vote = Vote.objects.select_for_update().get(pk=vote.pk)
    if vote.state != VoteState.CLOSED:
        raise ValidationError(_("请先截止表决"))
    now = now or timezone.now()
    vote.state = VoteState.PUBLISHED
    vote.objection_until = now + datetime.timedelta(days=OBJECTION_DAYS)
    vote.save(update_fields=["state", "objection_until"])
    if vote.result.get("approved"):
        vote.project.stage = Stage.WORKS
        vote.project.save(update_fields=["stage"])
    return vote


def recount(vote):
    """Anyone with access recomputes the published result from the ballots."""
    return tally(vote)


@transaction.atomic
def objection_file(*, actor, vote, text, now=None):
    now = now or timezone.now()
    vote = Vote.objects.get(pk=vote.pk)
    if vote.state != VoteState.PUBLISHED or now > vote.objection_until:
        raise ValidationError(_("不在公示异议期内"))
    if not Elector.objects.filter(vote=vote, person_id=actor.person_id).exists():
        raise ValidationError(_("只有本次表决范围内的业主可以提出异议"))
    if not text.strip():
        raise ValidationError(_("请填写异议内容"))
    return Objection.objects.create(vote=vote, person_id=actor.person_id, text=text[:500])


@transaction.atomic
def objection_answer(*, actor, objection, answer):
    authorize(actor, "renovation.manage", objection.vote)
    objection.answer = answer[:500]
    objection.save(update_fields=["answer"])
    return objection


# --- supervision and acceptance -------------------------------------------------------------


def _is_supervisor(actor, project):
    return project.supervisors.filter(user_id=actor.user_id).exists()


@transaction.atomic
def supervisor_add(*, actor, project, user):
    authorize(actor, "renovation.manage", project)
    return project.supervisors.get_or_create(user=user)[0]


@transaction.atomic
def inspection_log(*, actor, project, note, photo=None, finding=False, now=None):
    if not _is_supervisor(actor, project):
        authorize(actor, "renovation.manage", project)
    inspection = Inspection(
        project=project, by=actor.user, at=now or timezone.now(), note=note, finding=finding
    )
    if photo:
        inspection.photo = photo
    inspection.save()
    if finding:
        notify.notify(
            [s.user for s in project.supervisors.select_related("user")],
            _("监督发现问题：%(p)s") % {"p": project.title},
            note,
            kind="renovation.finding",
        )
    return inspection


@transaction.atomic
def rectify(*, actor, inspection, note, now=None):
    authorize(actor, "renovation.manage", inspection.project)
    inspection.rectified_at = now or timezone.now()
    inspection.rectification = note[:300]
    inspection.save(update_fields=["rectified_at", "rectification"])
    return inspection


@transaction.atomic
def acceptance_sign(*, actor, project, party, checklist=None, contractor="", now=None):
    """Sign the acceptance as the community, the supervision group or (recorded by staff) the
    contractor; all three signatures complete the project."""
    now = now or timezone.now()
    acceptance, _created = Acceptance.objects.get_or_create(project=project)
    if project.inspections.filter(finding=True, rectified_at__isnull=True).exists():
        raise ValidationError(_("还有未整改的问题，不能验收"))
    if party == "community":
        authorize(actor, "renovation.manage", project)
        acceptance.community_signed_by = actor.user
        if checklist is not None:
            acceptance.checklist = checklist
    elif party == "supervisor":
        if not _is_supervisor(actor, project):
            raise PermissionDenied
        acceptance.supervisor_signed_by = actor.user
    elif party == "contractor":
        authorize(actor, "renovation.manage", project)
        acceptance.contractor = contractor
        acceptance.contractor_signed_at = now
    else:
        raise ValidationError(_("未知的签字方"))
    if (
        acceptance.community_signed_by_id
        and acceptance.supervisor_signed_by_id
        and acceptance.contractor_signed_at
    ):
        acceptance.accepted_at = now
        project.stage = Stage.DONE
        project.save(update_fields=["stage"])
    acceptance.save()
    return acceptance
