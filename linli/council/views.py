"""Thin pages: read through selectors, write through services, show errors as messages."""

from datetime import UTC, datetime, timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import pdf
from linli.core.views import staff_required
from linli.council import bridges, selectors, services
from linli.council import choices as c
from linli.council.models import Council, Meeting, ParkingRound, Seat

MANAGE = "council.manage_council"


def _run(request, fn, ok):
    """Call a service; on bad input show its message and change nothing."""
    try:
        result = fn()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None
    messages.success(request, ok)
    return result or True


def _back(request, fallback):
    return redirect(request.POST.get("next") or fallback)


# Residents ---------------------------------------------------------------------------------


@login_required
def home(request):
    actor = request.actor
    councils = list(selectors.councils(actor))
    return render(
        request,
        "council/resident_home.html",
        {
            "councils": councils,
            "topics": selectors.topics(actor)[:50],
            "meetings": selectors.meetings(actor)
            .filter(starts_at__gte=timezone.now() - timedelta(days=1))
            .order_by("starts_at")[:10],
            "published": selectors.resolutions(actor).filter(status=c.ResolutionStatus.PUBLISHED)[
                :20
            ],
            "rounds": ParkingRound.objects.filter(council__in=councils)[:10],
        },
    )


@login_required
@require_POST
def propose(request):
    council = selectors.council_or_404(request.actor, request.POST.get("council"))
    topic = _run(
        request,
        lambda: services.topic_propose(
            actor=request.actor,
            council=council,
            title=request.POST.get("title", ""),
            body=request.POST.get("body", ""),
        ),
        _("议题已提交，欢迎邻居联署"),
    )
    if topic:
        return redirect("m:council:topic", pk=topic.pk)
    return redirect("m:council:home")


@login_required
def topic(request, pk):
    topic = get_object_or_404(selectors.topics(request.actor), pk=pk)
    resolutions = topic.resolutions.prefetch_related("objections", "tasks")
    return render(
        request,
        "council/resident_topic.html",
        {
            "topic": topic,
            "resolutions": resolutions,
            "cosigned": topic.cosigns.filter(user_id=request.actor.user_id).exists(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def cosign(request, pk):
    topic = get_object_or_404(selectors.topics(request.actor), pk=pk)
    _run(request, lambda: services.topic_cosign(actor=request.actor, topic=topic), _("联署成功"))
    return redirect("m:council:topic", pk=pk)


@login_required
@require_POST
def object_(request, pk):
    resolution = get_object_or_404(selectors.resolutions(request.actor), pk=pk)
    _run(
        request,
        lambda: services.objection_file(
            actor=request.actor, resolution=resolution, text=request.POST.get("text", "")
        ),
        _("异议已提交"),
    )
    return redirect("m:council:topic", pk=resolution.topic_id)


@login_required
@require_POST
def rate(request, pk):
    task = get_object_or_404(selectors.tasks(request.actor), pk=pk)
    _run(
        request,
        lambda: services.task_rate(
            actor=request.actor, task=task, stars=request.POST.get("stars") or 0
        ),
        _("感谢您的评价"),
    )
    return redirect("m:council:topic", pk=task.resolution.topic_id)


@login_required
def checkin(request, token):
    meeting = Meeting.objects.filter(checkin_token=token).select_related("council").first()
    if meeting is None:
        raise Http404
    if request.method == "POST" and _run(
        request,
        lambda: services.meeting_checkin(actor=request.actor, meeting=meeting, token=token),
        _("签到成功"),
    ):
        return redirect("m:council:meeting", pk=meeting.pk)
    return render(request, "council/resident_checkin.html", {"meeting": meeting})


@login_required
def meeting(request, pk):
    meeting = get_object_or_404(selectors.meetings(request.actor), pk=pk)
    seat = services.active_seat(meeting.council, request.actor.user)
    return render(
        request,
        "council/resident_meeting.html",
        {
            "meeting": meeting,
            "seat": seat,
            "present": seat is not None and meeting.attendance.filter(seat=seat).exists(),
            "resolutions": meeting.resolutions.select_related("topic"),
            "voted": set(meeting.resolutions.filter(votes__seat=seat).values_list("pk", flat=True))
            if seat
            else set(),
        },
    )


@login_required
@require_POST
def vote(request, pk):
    resolution = get_object_or_404(selectors.resolutions(request.actor), pk=pk)
    _run(
        request,
        lambda: services.vote_cast(
            actor=request.actor, resolution=resolution, choice=request.POST.get("choice", "")
        ),
        _("已记录您的表决"),
    )
    return redirect("m:council:meeting", pk=resolution.meeting_id)


# Staff console -----------------------------------------------------------------------------


@staff_required
def console_home(request):
    actor = request.actor
    return render(
        request,
        "council/console_home.html",
        {
            "councils": selectors.councils(actor),
            "suggestions": bridges.recurring_event_suggestions(
                actor, since=timezone.now() - timedelta(days=90)
            ),
        },
    )


@staff_required
def council_detail(request, pk):
    council = selectors.council_or_404(request.actor, pk)
    if not request.actor.can(MANAGE, council):
        raise Http404
    return render(
        request,
        "council/console_council.html",
        {
            "council": council,
            "seats": council.seats.select_related("user"),
            "categories": c.SeatCategory.choices,
            "roles": c.SeatRole.choices,
            "topics": selectors.topics(request.actor, council)[:100],
            "accepted": selectors.topics(request.actor, council).filter(
                status=c.TopicStatus.ACCEPTED
            ),
            "meetings": selectors.meetings(request.actor, council)[:30],
            "rounds": council.parking_rounds.all(),
            "overdue": selectors.overdue_tasks(request.actor, council),
            "ical": request.build_absolute_uri(
                reverse("council:ical", kwargs={"token": council.ical_token})
            ),
        },
    )


def _managed_council(request, pk):
    council = selectors.council_or_404(request.actor, pk)
    if not request.actor.can(MANAGE, council):
        raise Http404
    return council


@staff_required
@require_POST
def topic_decide(request, pk):
    topic = get_object_or_404(selectors.topics(request.actor), pk=pk)
    merge_into = None
    if request.POST.get("merge_into"):
        merge_into = (
            selectors.topics(request.actor, topic.council)
            .filter(pk=request.POST["merge_into"])
            .first()
        )
    _run(
        request,
        lambda: services.topic_decide(
            actor=request.actor,
            topic=topic,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
            merge_into=merge_into,
        ),
        _("已处理"),
    )
    return redirect("console:council:council", pk=topic.council_id)


@staff_required
def topic_from_event(request, event_pk):
    event = bridges.grid_event_or_404(request.actor, event_pk)
    if request.method == "POST":
        topic = _run(
            request,
            lambda: services.topic_from_event(actor=request.actor, event=event),
            _("已提交议事会"),
        )
        if topic:
            return redirect("console:council:council", pk=topic.council_id)
    return render(request, "council/console_from_event.html", {"event": event})


@staff_required
@require_POST
def meeting_create(request, pk):
    council = _managed_council(request, pk)
    topics = list(
        selectors.topics(request.actor, council).filter(pk__in=request.POST.getlist("topics"))
    )
    try:
        starts_at = timezone.make_aware(datetime.fromisoformat(request.POST.get("starts_at", "")))
    except ValueError:
        messages.error(request, _("请填写会议时间"))
        return redirect("console:council:council", pk=pk)
    meeting = _run(
        request,
        lambda: services.meeting_create(
            actor=request.actor,
            council=council,
            title=request.POST.get("title", ""),
            starts_at=starts_at,
            place=request.POST.get("place", ""),
            topics=topics,
        ),
        _("会议已安排，通知已发送"),
    )
    if meeting:
        return redirect("console:council:meeting", pk=meeting.pk)
    return redirect("console:council:council", pk=pk)


@staff_required
def meeting_console(request, pk):
    meeting = get_object_or_404(selectors.meetings(request.actor), pk=pk)
    if not request.actor.can(MANAGE, meeting.council):
        raise Http404
    url = request.build_absolute_uri(
        reverse("m:council:checkin", kwargs={"token": meeting.checkin_token})
    )
    quorum, quorate = services.quorum_report(meeting)
    return render(
        request,
        "council/console_meeting.html",
        {
            "meeting": meeting,
            "checkin_url": url,
            "qr": segno.make(url).svg_inline(scale=4),
            "attendance": meeting.attendance.select_related("seat"),
            "quorum": [(c.SeatCategory(cat).label, r, p) for cat, (r, p) in quorum.items()],
            "quorate": quorate,
            "seats": meeting.council.seats.filter(term_end__isnull=True),
            "resolutions": meeting.resolutions.select_related("topic").prefetch_related(
                "tasks", "objections", "recusals"
            ),
            "renovation": bridges.renovation_available(),
        },
    )


@staff_required
@require_POST
def meeting_act(request, pk, action):
    meeting = get_object_or_404(selectors.meetings(request.actor), pk=pk)
    actor, post = request.actor, request.POST
    resolution = None
    if post.get("resolution"):
        resolution = get_object_or_404(meeting.resolutions, pk=post["resolution"])
    if action == "minutes":

        def save():
            services.meeting_minutes(actor=actor, meeting=meeting, minutes=post.get("minutes", ""))

        _run(request, save, _("纪要已保存"))
    elif action == "resolution":
        topic = get_object_or_404(meeting.topics, pk=post.get("topic"))
        _run(
            request,
            lambda: services.resolution_propose(
                actor=actor,
                meeting=meeting,
                topic=topic,
                text=post.get("text", ""),
                positions=post.get("positions", ""),
            ),
            _("决议草案已提交表决"),
        )
    elif action == "recuse":
        seat = get_object_or_404(Seat, council=meeting.council, pk=post.get("seat"))
        _run(
            request,
            lambda: services.resolution_recuse(
                actor=actor, resolution=resolution, seat=seat, reason=post.get("reason", "")
            ),
            _("已记录回避"),
        )
    elif action == "close":
        _run(
            request,
            lambda: services.resolution_close(actor=actor, resolution=resolution),
            _("表决已结束"),
        )
    elif action == "publish":
        _run(
            request,
            lambda: services.resolution_publish(actor=actor, resolution=resolution),
            _("决议已公示"),
        )
    elif action == "task":
        _run(
            request,
            lambda: services.task_create(
                actor=actor,
                resolution=resolution,
                title=post.get("title", ""),
                responsible=post.get("responsible", ""),
                due=post.get("due") or None,
            ),
            _("任务已分派"),
        )
    elif action == "renovation":
        url = request.build_absolute_uri(reverse("m:council:topic", args=[resolution.topic_id]))
        _run(
            request,
            lambda: bridges.renovation_start(actor=actor, resolution=resolution, url=url),
            _("已发起改造项目"),
        )
    elif action == "answer":
        objection = get_object_or_404(resolution.objections, pk=post.get("objection"))
        _run(
            request,
            lambda: services.objection_answer(
                actor=actor, objection=objection, answer=post.get("answer", "")
            ),
            _("已答复"),
        )
    elif action == "progress":
        task = get_object_or_404(
            selectors.tasks(actor), pk=post.get("task"), resolution__meeting=meeting
        )
        _run(
            request,
            lambda: services.task_update(
                actor=actor,
                task=task,
                progress=post.get("progress") or 0,
                note=post.get("note", ""),
                done=bool(post.get("done")),
            ),
            _("进展已更新"),
        )
    else:
        raise Http404
    return redirect("console:council:meeting", pk=pk)


@login_required
def minutes_pdf(request, pk):
    meeting = get_object_or_404(selectors.meetings(request.actor), pk=pk)
    doc = pdf.document(meeting.title)
    pdf.heading(doc, f"{meeting.council.name} · {meeting.title}")
    pdf.paragraph(
        doc,
        _("时间：%(at)s　地点：%(place)s")
        % {
            "at": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M"),
            "place": meeting.place,
        },
    )
    names = "、".join(a.seat.name for a in meeting.attendance.select_related("seat"))
    pdf.paragraph(doc, _("出席：%s") % (names or "—"))
    pdf.paragraph(doc, meeting.minutes or "")
    for r in meeting.resolutions.select_related("topic"):
        pdf.heading(doc, r.topic.title, size=14)
        if r.positions:
            pdf.paragraph(doc, _("各方意见：%s") % r.positions)
        pdf.paragraph(doc, _("决议：%s") % r.text)
        pdf.paragraph(
            doc,
            _("表决：赞成%(f)s 反对%(a)s 弃权%(b)s（%(s)s）")
            % {
                "f": r.votes_for,
                "a": r.votes_against,
                "b": r.votes_abstain,
                "s": r.get_status_display(),
            },
        )
    return HttpResponse(pdf.as_bytes(doc), content_type="application/pdf")


@login_required
def notice_pdf(request, pk):
    resolution = get_object_or_404(selectors.resolutions(request.actor), pk=pk)
    council = resolution.meeting.council
    doc = pdf.document(_("决议公示"))
    pdf.heading(doc, _("%s决议公示") % council.name)
    pdf.heading(doc, resolution.topic.title, size=14)
    pdf.paragraph(doc, resolution.text)
    pdf.paragraph(
        doc,
        _("表决：赞成%(f)s 反对%(a)s 弃权%(b)s")
        % {"f": resolution.votes_for, "a": resolution.votes_against, "b": resolution.votes_abstain},
    )
    if resolution.objection_until:
        pdf.paragraph(
            doc,
            _("公示期至 %s，如有异议请在“邻里”议事页面提出或联系社区。")
            % timezone.localtime(resolution.objection_until).strftime("%Y-%m-%d"),
        )
    return HttpResponse(pdf.as_bytes(doc), content_type="application/pdf")


def ical(request, token):
    """A public calendar feed of a council's meetings (the token is the capability)."""
    council = get_object_or_404(Council, ical_token=token)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//linli//council//ZH",
        f"X-WR-CALNAME:{council.name}",
    ]
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    for m in council.meetings.all()[:200]:
        start = m.starts_at.astimezone(UTC)
        lines += [
            "BEGIN:VEVENT",
            f"UID:council-meeting-{m.pk}@linli",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start.strftime('%Y%m%dT%H%M%SZ')}",
            f"DTEND:{(start + timedelta(hours=2)).strftime('%Y%m%dT%H%M%SZ')}",
            f"SUMMARY:{_escape(m.title)}",
            f"LOCATION:{_escape(m.place)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")


def _escape(text):
    return text.replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,").replace("\n", r"\n")


# Parking rounds ----------------------------------------------------------------------------


def _round_context(parking_round):
    from linli.lottery.models import Entry

    draws = [d for d in (parking_round.accessible_draw, parking_round.general_draw) if d]
    results = {(e.draw_id, e.ref): e for e in Entry.objects.filter(draw__in=draws)}
    rows = []
    for app in parking_round.applications.select_related("household__building"):
        draw_id = (
            parking_round.accessible_draw_id if app.accessible else parking_round.general_draw_id
        )
        rows.append((app, results.get((draw_id, app.ref))))
    return {"round": parking_round, "draws": draws, "rows": rows}


@login_required
def parking(request, pk):
    parking_round = get_object_or_404(
        ParkingRound.objects.filter(council__in=selectors.councils(request.actor)), pk=pk
    )
    ctx = _round_context(parking_round)
    mine = set(request.actor.household_ids)
    ctx["mine"] = [(a, e) for a, e in ctx["rows"] if a.household_id in mine]
    ctx["my_households"] = [
        h for h in _households(request.actor) if h.building.estate_id == parking_round.estate_id
    ]
    ctx["now"] = timezone.now()
    return render(request, "council/resident_parking.html", ctx)


def _households(actor):
    from linli.org.models import Household

    return Household.objects.filter(pk__in=actor.household_ids).select_related("building")


@login_required
@require_POST
def parking_apply(request, pk):
    from linli.council import parking as svc

    parking_round = get_object_or_404(
        ParkingRound.objects.filter(council__in=selectors.councils(request.actor)), pk=pk
    )
    household = get_object_or_404(_households(request.actor), pk=request.POST.get("household"))
    _run(
        request,
        lambda: svc.round_apply(
            actor=request.actor,
            parking_round=parking_round,
            household=household,
            second=bool(request.POST.get("second")),
            accessible=bool(request.POST.get("accessible")),
        ),
        _("申请已提交"),
    )
    return redirect("m:council:parking", pk=pk)


@login_required
@require_POST
def parking_object(request, pk):
    from linli.council import parking as svc

    parking_round = get_object_or_404(
        ParkingRound.objects.filter(council__in=selectors.councils(request.actor)), pk=pk
    )
    _run(
        request,
        lambda: svc.round_object(
            actor=request.actor, parking_round=parking_round, text=request.POST.get("text", "")
        ),
        _("异议已提交"),
    )
    return redirect("m:council:parking", pk=pk)


@staff_required
def parking_console(request, pk):
    parking_round = get_object_or_404(ParkingRound.objects.visible_to(request.actor, MANAGE), pk=pk)
    return render(request, "council/console_parking.html", _round_context(parking_round))


@staff_required
@require_POST
def parking_create(request, pk):
    from linli.council import parking as svc

    council = _managed_council(request, pk)
    made = _run(
        request,
        lambda: svc.round_create(
            actor=request.actor,
            council=council,
            title=request.POST.get("title", ""),
            spaces=int(request.POST.get("spaces") or 0),
            accessible_spaces=int(request.POST.get("accessible_spaces") or 0),
            rotate_from=council.parking_rounds.filter(
                pk=request.POST.get("rotate_from") or None
            ).first(),
        ),
        _("车位分配已发起，抽签种子哈希已公布"),
    )
    if made:
        return redirect("console:council:parking", pk=made.pk)
    return redirect("console:council:council", pk=pk)


@staff_required
@require_POST
def parking_draw(request, pk):
    from linli.council import parking as svc

    parking_round = get_object_or_404(ParkingRound.objects.visible_to(request.actor, MANAGE), pk=pk)
    _run(
        request,
        lambda: svc.round_draw(
            actor=request.actor,
            parking_round=parking_round,
            public_value=request.POST.get("public_value", ""),
        ),
        _("已开奖并公示"),
    )
    return redirect("console:council:parking", pk=pk)


@staff_required
@require_POST
def seat_act(request, pk):
    """Add a member by username (an existing account), or end a seat's term today."""
    from linli.accounts.models import User

    council = _managed_council(request, pk)
    post = request.POST
    if post.get("end"):
        seat = get_object_or_404(Seat, council=council, pk=post["end"])
        _run(
            request,
            lambda: services.seat_end(actor=request.actor, seat=seat, on=timezone.localdate()),
            _("任期已结束"),
        )
    else:
        user = User.objects.filter(username=post.get("username", "")).first()
        if user is None:
            messages.error(request, _("找不到该账号"))
        else:
            _run(
                request,
                lambda: services.seat_add(
                    actor=request.actor,
                    council=council,
                    user=user,
                    category=post.get("category", ""),
                    role=post.get("role") or c.SeatRole.MEMBER,
                    name=post.get("name") or user.get_full_name() or user.get_username(),
                    affiliation=post.get("affiliation", ""),
                    term_start=timezone.localdate(),
                ),
                _("成员已加入"),
            )
    return redirect("console:council:council", pk=pk)


@staff_required
@require_POST
def parking_answer(request, pk):
    from linli.council import parking as svc
    from linli.council.models import ParkingObjection

    objection = get_object_or_404(
        ParkingObjection.objects.filter(
            round__in=ParkingRound.objects.visible_to(request.actor, MANAGE)
        ),
        pk=pk,
    )
    _run(
        request,
        lambda: svc.objection_answer(
            actor=request.actor, objection=objection, answer=request.POST.get("answer", "")
        ),
        _("已答复"),
    )
    return redirect("console:council:parking", pk=objection.round_id)
