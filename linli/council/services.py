"""Every write of the council module: thing_verb(*, actor, ...), atomic, authorized, audited."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.core import audit
from linli.core.locking import lock_rows
from linli.core.notify import notify
from linli.core.scoping import authorize, require_perm
from linli.council import bridges
from linli.council import choices as c
from linli.council.models import (
    Attendance,
    CoSign,
    Council,
    Meeting,
    Objection,
    Rating,
    Recusal,
    Resolution,
    Seat,
    Task,
    Topic,
    Vote,
)

MANAGE = "council.manage_council"


def _now(now):
    return now or timezone.now()


def _clean_save(obj):
    obj.full_clean()
    obj.save()
    return obj


def active_seat(council, user, *, at=None):
    """The actor's current seat on this council, if any."""
    if user is None:
        return None
    day = _now(at).date()
    return (
        Seat.objects.filter(council=council, user=user, term_start__lte=day)
        .exclude(term_end__lt=day)
        .first()
    )


@transaction.atomic
def council_create(
    *,
    actor,
    unit,
    name,
    estate=None,
    cosign_threshold=5,
    objection_days=7,
    majority=c.Majority.SIMPLE,
    quorum=None,
):
    require_perm(actor, MANAGE)
    if not actor.is_superuser and not any(
        unit.path.startswith(p) for p in actor.unit_paths(MANAGE)
    ):
        raise PermissionDenied
    council = _clean_save(
        Council(
            unit=unit,
            estate=estate,
            name=name,
            cosign_threshold=cosign_threshold,
            objection_days=objection_days,
            majority=majority,
            quorum=quorum or {},
        )
    )
    audit.record(actor, "council.create", council)
    return council


@transaction.atomic
def seat_add(
    *,
    actor,
    council,
    user,
    category,
    name,
    term_start,
    role=c.SeatRole.MEMBER,
    affiliation="",
    term_end=None,
):
    authorize(actor, MANAGE, council)
    seat = _clean_save(
        Seat(
            council=council,
            user=user,
            category=category,
            name=name,
            role=role,
            affiliation=affiliation,
            term_start=term_start,
            term_end=term_end,
        )
    )
    audit.record(actor, "council.seat_add", council, seat=seat.pk, category=category)
    return seat


@transaction.atomic
def seat_end(*, actor, seat, on):
    authorize(actor, MANAGE, seat.council)
    seat.term_end = on
    _clean_save(seat)
    audit.record(actor, "council.seat_end", seat.council, seat=seat.pk)
    return seat


@transaction.atomic
def topic_propose(*, actor, council, title, body="", now=None):
    authorize(actor, "council.propose", council)
    staff = actor.can(MANAGE, council)
    if not title.strip():
        raise ValidationError(_("请填写议题"))
    topic = _clean_save(
        Topic(
            council=council,
            title=title.strip(),
            body=body,
            source=c.TopicSource.STAFF if staff else c.TopicSource.RESIDENT,
            proposer=actor.user,
            created_at=_now(now),
            status=c.TopicStatus.ELIGIBLE if staff else c.TopicStatus.PROPOSED,
        )
    )
    audit.record(actor, "council.topic_propose", topic)
    return topic


def _council_for_event(event):
    building = getattr(event, "building", None)
    household = getattr(event, "household", None)
    if building is None and household is not None:
        building = household.building
    estate = getattr(event, "estate", None) or (building.estate if building else None)
    if estate is not None:
        return (
            Council.objects.filter(estate=estate).first()
            or Council.objects.filter(unit=estate.community, estate__isnull=True).first()
        )
    unit = getattr(event, "unit", None)
    while unit is not None and unit.kind != "community":
        unit = unit.get_parent()
    return Council.objects.filter(unit=unit).first() if unit else None


@transaction.atomic
def topic_from_event(*, actor, event, now=None):
    """Raise a topic from a grid event (idempotent: one topic per event and council)."""
    council = _council_for_event(event)
    if council is None:
        raise ValidationError(_("该事件所在社区尚未成立议事会"))
    authorize(actor, MANAGE, council)
    ref = f"grid.event:{event.pk}"
    existing = Topic.objects.filter(council=council, event_ref=ref).first()
    if existing:
        return existing
    topic = _clean_save(
        Topic(
            council=council,
            title=str(getattr(event, "title", "") or event)[:150],
            body=getattr(event, "description", "") or "",
            source=c.TopicSource.GRID,
            event_ref=ref,
            proposer=actor.user,
            created_at=_now(now),
            status=c.TopicStatus.ELIGIBLE,
        )
    )
    audit.record(actor, "council.topic_from_event", topic, event=event.pk)
    return topic


@transaction.atomic
def topic_cosign(*, actor, topic, now=None):
    authorize(actor, "council.propose", topic.council)
    topic = lock_rows(Topic, [topic.pk])[topic.pk]
    if topic.status not in (c.TopicStatus.PROPOSED, c.TopicStatus.ELIGIBLE):
        raise ValidationError(_("该议题已不再征集联署"))
    if topic.proposer_id == actor.user_id:
        raise ValidationError(_("提出人无需联署自己的议题"))
    if CoSign.objects.filter(topic=topic, user_id=actor.user_id).exists():
        raise ValidationError(_("您已联署过该议题"))
    try:
        with transaction.atomic():
            CoSign.objects.create(topic=topic, user=actor.user, created_at=_now(now))
    except IntegrityError as exc:
        raise ValidationError(_("您已联署过该议题")) from exc
    Topic.objects.filter(pk=topic.pk).update(cosign_count=F("cosign_count") + 1)
    topic.refresh_from_db()
    if (
        topic.status == c.TopicStatus.PROPOSED
        and topic.cosign_count >= topic.council.cosign_threshold
    ):
        topic.status = c.TopicStatus.ELIGIBLE
        topic.save(update_fields=["status"])
    return topic


@transaction.atomic
def topic_decide(*, actor, topic, decision, reason="", merge_into=None):
    """accept / merge / decline, with a public reason for the last two."""
    authorize(actor, MANAGE, topic.council)
    topic = lock_rows(Topic, [topic.pk])[topic.pk]
    if topic.status not in (c.TopicStatus.PROPOSED, c.TopicStatus.ELIGIBLE):
        raise ValidationError(_("该议题已处理"))
    if decision == "accept":
        if topic.status != c.TopicStatus.ELIGIBLE:
            raise ValidationError(_("联署人数未达到门槛，暂不能列入议程"))
        topic.status = c.TopicStatus.ACCEPTED
    elif decision in ("merge", "decline"):
        if not reason.strip():
            raise ValidationError(_("请填写公开理由"))
        if decision == "merge":
            if (
                merge_into is None
                or merge_into.council_id != topic.council_id
                or merge_into == topic
            ):
                raise ValidationError(_("请选择同一议事会的另一议题"))
            topic.merged_into = merge_into
            topic.status = c.TopicStatus.MERGED
        else:
            topic.status = c.TopicStatus.DECLINED
    else:
        raise ValidationError(_("未知的处理方式"))
    topic.reason = reason.strip()
    _clean_save(topic)
    audit.record(actor, f"council.topic_{decision}", topic, reason=topic.reason)
    if decision == "accept":
        for cosign in CoSign.objects.filter(topic=topic).select_related("user"):
            bridges.award_points(
                actor=actor, user=cosign.user, key=f"council:cosign:{cosign.pk}", note=topic.title
            )
    if topic.proposer_id:
        notify(
            [topic.proposer],
            _("议题处理结果：%s") % topic.title,
            topic.get_status_display() + (f"：{topic.reason}" if topic.reason else ""),
            kind="council",
        )
    return topic


@transaction.atomic
def meeting_create(*, actor, council, title, starts_at, place, topics=(), invite=()):
    authorize(actor, MANAGE, council)
    topics = list(Topic.objects.filter(pk__in=[t.pk for t in topics]))
    for topic in topics:
        if topic.council_id != council.pk or topic.status != c.TopicStatus.ACCEPTED:
            raise ValidationError(_("只有已受理的议题才能列入议程"))
    meeting = _clean_save(Meeting(council=council, title=title, starts_at=starts_at, place=place))
    meeting.topics.set(topics)
    users = {s.user for s in council.seats.filter(term_end__isnull=True).select_related("user")}
    users |= {t.proposer for t in topics if t.proposer_id}
    users |= set(invite)
    notify(
        list(users),
        _("议事会会议通知：%s") % title,
        _("时间：%(at)s，地点：%(place)s")
        % {"at": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M"), "place": place},
        kind="council",
    )
    audit.record(actor, "council.meeting_create", meeting)
    return meeting


@transaction.atomic
def meeting_checkin(*, actor, meeting, token, now=None):
    """QR check-in: the code on the screen at the meeting proves presence."""
    if token != meeting.checkin_token:
        raise ValidationError(_("签到码无效"))
    seat = active_seat(meeting.council, actor.user, at=now)
    if seat is None:
        raise ValidationError(_("您不是本议事会的在任成员"))
    attendance, created = Attendance.objects.get_or_create(
        meeting=meeting, seat=seat, defaults={"checked_in_at": _now(now)}
    )
    if created:
        bridges.award_points(
            actor=actor, user=actor.user, key=f"council:attend:{attendance.pk}", note=meeting.title
        )
    return attendance


def quorum_report(meeting):
    """Per seat category: (required, present); quorum is met when every category meets it."""
    present = {}
    for category in Attendance.objects.filter(meeting=meeting).values_list(
        "seat__category", flat=True
    ):
        present[category] = present.get(category, 0) + 1
    rows = {cat: (int(req), present.get(cat, 0)) for cat, req in meeting.council.quorum.items()}
    return rows, all(p >= r for r, p in rows.values()) and bool(present)


@transaction.atomic
def resolution_propose(*, actor, meeting, topic, text, positions=""):
    authorize(actor, MANAGE, meeting.council)
    if not meeting.topics.filter(pk=topic.pk).exists():
        raise ValidationError(_("该议题不在本次会议议程中"))
    if not text.strip():
        raise ValidationError(_("请填写决议内容"))
    resolution = _clean_save(
        Resolution(meeting=meeting, topic=topic, text=text.strip(), positions=positions)
    )
    audit.record(actor, "council.resolution_propose", resolution)
    return resolution


@transaction.atomic
def resolution_recuse(*, actor, resolution, seat, reason=""):
    authorize(actor, MANAGE, resolution.meeting.council)
    if seat.council_id != resolution.meeting.council_id:
        raise ValidationError(_("该成员不属于本议事会"))
    if Vote.objects.filter(resolution=resolution, seat=seat).exists():
        raise ValidationError(_("该成员已投票，不能再回避"))
    recusal, _created = Recusal.objects.get_or_create(
        resolution=resolution, seat=seat, defaults={"reason": reason}
    )
    audit.record(actor, "council.recuse", resolution, seat=seat.pk, reason=reason)
    return recusal


@transaction.atomic
def vote_cast(*, actor, resolution, choice, now=None):
    resolution = lock_rows(Resolution, [resolution.pk])[resolution.pk]
    if resolution.status != c.ResolutionStatus.DRAFT:
        raise ValidationError(_("表决已结束"))
    if choice not in c.VoteChoice.values:
        raise ValidationError(_("无效的表决选项"))
    seat = active_seat(resolution.meeting.council, actor.user, at=now)
    if seat is None:
        raise ValidationError(_("您不是本议事会的在任成员"))
    if not Attendance.objects.filter(meeting=resolution.meeting, seat=seat).exists():
        raise ValidationError(_("您未签到出席本次会议，不能表决"))
    if Recusal.objects.filter(resolution=resolution, seat=seat).exists():
        raise ValidationError(_("您已回避本议题，不能表决"))
    if Vote.objects.filter(resolution=resolution, seat=seat).exists():
        raise ValidationError(_("您已投过票"))
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                resolution=resolution, seat=seat, choice=choice, cast_at=_now(now)
            )
    except IntegrityError as exc:
        raise ValidationError(_("您已投过票")) from exc
    field = {"for": "votes_for", "against": "votes_against", "abstain": "votes_abstain"}[choice]
    Resolution.objects.filter(pk=resolution.pk).update(**{field: F(field) + 1})
    return vote


@transaction.atomic
def resolution_close(*, actor, resolution):
    """Count the votes: the majority is of members present and not recused."""
    authorize(actor, MANAGE, resolution.meeting.council)
    resolution = lock_rows(Resolution, [resolution.pk])[resolution.pk]
    if resolution.status != c.ResolutionStatus.DRAFT:
        raise ValidationError(_("表决已结束"))
    _rows, quorate = quorum_report(resolution.meeting)
    if not quorate:
        raise ValidationError(_("出席人数未达到法定人数"))
    recused = Recusal.objects.filter(resolution=resolution).values_list("seat_id", flat=True)
    voters = (
        Attendance.objects.filter(meeting=resolution.meeting)
        .exclude(seat_id__in=list(recused))
        .count()
    )
    needed = (
        voters * 2 / 3
        if resolution.meeting.council.majority == c.Majority.TWO_THIRDS
        else voters / 2
    )
    passed = resolution.votes_for > needed
    resolution.status = c.ResolutionStatus.PASSED if passed else c.ResolutionStatus.REJECTED
    resolution.save(update_fields=["status"])
    if passed:
        Topic.objects.filter(pk=resolution.topic_id).update(status=c.TopicStatus.DECIDED)
    audit.record(
        actor,
        "council.resolution_close",
        resolution,
        passed=passed,
        votes=[resolution.votes_for, resolution.votes_against, resolution.votes_abstain],
    )
    return resolution


@transaction.atomic
def resolution_publish(*, actor, resolution, now=None):
    """公示: residents may object until the window closes."""
    authorize(actor, MANAGE, resolution.meeting.council)
    if resolution.status != c.ResolutionStatus.PASSED:
        raise ValidationError(_("只有已通过的决议才能公示"))
    now = _now(now)
    resolution.status = c.ResolutionStatus.PUBLISHED
    resolution.published_at = now
    resolution.objection_until = now + timedelta(days=resolution.meeting.council.objection_days)
    resolution.save(update_fields=["status", "published_at", "objection_until"])
    audit.record(actor, "council.resolution_publish", resolution)
    return resolution


@transaction.atomic
def objection_file(*, actor, resolution, text, now=None):
    authorize(actor, "council.propose", resolution)
    now = _now(now)
    if resolution.status != c.ResolutionStatus.PUBLISHED or now > resolution.objection_until:
        raise ValidationError(_("公示期已结束，不能再提出异议"))
    if not text.strip():
        raise ValidationError(_("请填写异议内容"))
    objection = _clean_save(
        Objection(resolution=resolution, user=actor.user, text=text.strip(), created_at=now)
    )
    audit.record(actor, "council.objection", resolution, objection=objection.pk)
    return objection


@transaction.atomic
def objection_answer(*, actor, objection, answer):
    authorize(actor, MANAGE, objection.resolution)
    if not answer.strip():
        raise ValidationError(_("请填写答复"))
    objection.answer = answer.strip()
    objection.save(update_fields=["answer"])
    notify([objection.user], _("您的异议已答复"), objection.answer, kind="council")
    audit.record(actor, "council.objection_answer", objection.resolution, objection=objection.pk)
    return objection


@transaction.atomic
def task_create(*, actor, resolution, title, responsible, due):
    authorize(actor, MANAGE, resolution)
    if resolution.status not in (c.ResolutionStatus.PASSED, c.ResolutionStatus.PUBLISHED):
        raise ValidationError(_("只有已通过的决议才能分派任务"))
    task = _clean_save(Task(resolution=resolution, title=title, responsible=responsible, due=due))
    audit.record(actor, "council.task_create", task)
    return task


@transaction.atomic
def task_update(*, actor, task, progress, note="", done=False):
    authorize(actor, MANAGE, task)
    task = lock_rows(Task, [task.pk])[task.pk]
    progress = 100 if done else int(progress)
    if not 0 <= progress <= 100:
        raise ValidationError(_("进度须在0到100之间"))
    task.progress = progress
    if note.strip():
        stamp = timezone.localdate().isoformat()
        task.notes = (task.notes + "\n" if task.notes else "") + f"{stamp} {note.strip()}"
    if done:
        task.status = c.TaskStatus.DONE
    task.save()
    audit.record(actor, "council.task_update", task, progress=progress, done=done)
    return task


@transaction.atomic
def task_rate(*, actor, task, stars):
    authorize(actor, "council.propose", task)
    if task.status != c.TaskStatus.DONE:
        raise ValidationError(_("任务完成后才能评价"))
    if not 1 <= int(stars) <= 5:
        raise ValidationError(_("评分须在1到5之间"))
    if Rating.objects.filter(task=task, user_id=actor.user_id).exists():
        raise ValidationError(_("您已评价过"))
    return Rating.objects.create(task=task, user=actor.user, stars=int(stars))


def tasks_flag_overdue(*, now=None):
    """Notify councils' secretaries and chairs of overdue tasks, once per task."""
    today = _now(now).date()
    flagged = 0
    for task in Task.objects.filter(
        status=c.TaskStatus.OPEN, due__lt=today, overdue_notified=False
    ).select_related("resolution__meeting__council"):
        council = task.resolution.meeting.council
        users = [
            s.user
            for s in council.seats.filter(
                role__in=[c.SeatRole.CHAIR, c.SeatRole.SECRETARY], term_end__isnull=True
            )
        ]
        with transaction.atomic():
            notify(
                users,
                _("议事会任务逾期：%s") % task.title,
                _("责任方：%(who)s，期限：%(due)s") % {"who": task.responsible, "due": task.due},
                kind="council",
            )
            Task.objects.filter(pk=task.pk).update(overdue_notified=True)
        flagged += 1
    return flagged


@transaction.atomic
def meeting_minutes(*, actor, meeting, minutes):
    authorize(actor, MANAGE, meeting)
    meeting.minutes = minutes
    meeting.save(update_fields=["minutes"])
    audit.record(actor, "council.minutes", meeting)
    return meeting
