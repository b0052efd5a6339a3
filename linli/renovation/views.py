"""Owners on a phone (projects, survey, ballot, live tally, results, supervision, gallery);
staff at a desk (project console, ballot entry, tally, publication, notices as PDF)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from linli.core import pdf
from linli.core.scoping import get_visible_or_404, require_perm
from linli.core.views import staff_required
from linli.renovation import selectors, services
from linli.renovation.choices import Channel, ItemClass, Matter, Stage, VoteState
from linli.renovation.models import Elector, Item, Project, Vote


def _run(request, fn, ok, **kwargs):
    try:
        result = fn(actor=request.actor, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    except PermissionDenied:
        messages.error(request, _("您不能进行此操作"))
        return None
    messages.success(request, ok)
    return result


def _project_context(request, project):
    votes = list(selectors.votes(request.actor, project))
    for vote in votes:
        vote.live = services.tally(vote) if vote.state != VoteState.DRAFT else None
        vote.mine = (
            Elector.objects.filter(vote=vote, person_id=request.actor.person_id)
            .select_related("ballot")
            .first()
            if request.actor.person_id
            else None
        )
    survey = getattr(project, "survey", None)
    return {
        "p": project,
        "items": project.items.all(),
        "votes": votes,
        "survey": survey,
        "results": selectors.survey_results(survey) if survey else None,
        "inspections": project.inspections.select_related("by")[:30],
        "acceptance": getattr(project, "acceptance", None),
    }


# --- phone ----------------------------------------------------------------------------------


@login_required
def home(request):
    return render(
        request, "renovation/m_home.html", {"projects": selectors.projects(request.actor)[:30]}
    )


@login_required
def project(request, pk):
    obj = get_visible_or_404(Project.objects.select_related("estate"), request.actor, pk=pk)
    return render(request, "renovation/m_project.html", _project_context(request, obj))


@login_required
@require_POST
def ballot(request, pk):
    vote = get_visible_or_404(Vote, request.actor, pk=pk)
    _run(request, services.ballot_online, _("已投票"), vote=vote, choice=request.POST.get("choice"))
    return redirect("m:renovation:project", pk=vote.project_id)


@login_required
@require_POST
def answer(request, pk):
    obj = get_visible_or_404(Project, request.actor, pk=pk)
    items = Item.objects.filter(project=obj, pk__in=request.POST.getlist("items"))
    _run(
        request,
        services.survey_answer,
        _("感谢您的意见"),
        survey=obj.survey,
        items=items,
        text=request.POST.get("text", ""),
    )
    return redirect("m:renovation:project", pk=pk)


@login_required
@require_POST
def objection(request, pk):
    vote = get_visible_or_404(Vote, request.actor, pk=pk)
    _run(
        request,
        services.objection_file,
        _("已提交异议"),
        vote=vote,
        text=request.POST.get("text", ""),
    )
    return redirect("m:renovation:project", pk=vote.project_id)


@login_required
@require_POST
def inspect(request, pk):
    obj = get_visible_or_404(Project, request.actor, pk=pk)
    _run(
        request,
        services.inspection_log,
        _("已记录"),
        project=obj,
        note=request.POST.get("note", ""),
        photo=request.FILES.get("photo"),
        finding=bool(request.POST.get("finding")),
    )
    return redirect("m:renovation:project", pk=pk)


# --- console --------------------------------------------------------------------------------


@staff_required
def console_home(request):
    require_perm(request.actor, "renovation.view_project")
    from linli.org.models import Estate

    if request.method == "POST":
        estate = get_visible_or_404(
            Estate, request.actor, "renovation.manage", pk=request.POST.get("estate")
        )
        made = _run(
            request,
            services.project_create,
            _("已创建"),
            estate=estate,
            title=request.POST.get("title", ""),
        )
        if made:
            return redirect("console:renovation:project", pk=made.pk)
    return render(
        request,
        "renovation/console_home.html",
        {
            "projects": selectors.projects(request.actor)[:100],
            "estates": Estate.objects.visible_to(request.actor, "renovation.manage")[:200],
        },
    )


@staff_required
def console_project(request, pk):
    obj = get_visible_or_404(Project.objects.select_related("estate"), request.actor, pk=pk)
    context = _project_context(request, obj)
    context.update(
        {
            "classes": ItemClass.choices,
            "matters": Matter.choices,
            "stages": Stage.choices,
            "channels": [c for c in Channel.choices if c[0] != Channel.ONLINE],
        }
    )
    return render(request, "renovation/console_project.html", context)


@staff_required
@require_POST
def console_action(request, pk, action):
    obj = get_visible_or_404(Project, request.actor, pk=pk)
    post = request.POST
    if action == "item":
        _run(
            request,
            services.item_add,
            _("已添加"),
            project=obj,
            cls=post.get("cls"),
            title=post.get("title", ""),
            cost=post.get("cost") or 0,
            funding=post.get("funding"),
        )
    elif action == "survey":
        _run(
            request,
            services.survey_open,
            _("已发起征求意见"),
            project=obj,
            question=post.get("question") or _("您支持哪些改造内容？"),
        )
    elif action == "vote":
        vote = _run(
            request,
            services.vote_create,
            _("已创建表决"),
            project=obj,
            title=post.get("title", ""),
            matter=int(post.get("matter") or 9),
        )
        if vote:
            _run(
                request,
                services.vote_open,
                _("表决已开始"),
                vote=vote,
                closes_at=timezone.now() + datetime.timedelta(days=int(post.get("days") or 14)),
            )
    elif action == "stage":
        _run(request, services.project_stage, _("已更新"), project=obj, stage=post.get("stage"))
    elif action == "accept":
        _run(
            request,
            services.acceptance_sign,
            _("已签字"),
            project=obj,
            party="community",
            checklist=[line for line in post.get("checklist", "").splitlines() if line.strip()],
        )
    return redirect("console:renovation:project", pk=pk)


@staff_required
@require_POST
def vote_action(request, pk, action):
    vote = get_visible_or_404(Vote, request.actor, pk=pk)
    post = request.POST
    if action == "ballot":
        elector = Elector.objects.filter(vote=vote, pk=post.get("elector")).first()
        if elector is None:
            messages.error(request, _("请选择业主"))
        else:
            _run(
                request,
                services.ballot_enter,
                _("已录入"),
                vote=vote,
                elector=elector,
                choice=post.get("choice"),
                channel=post.get("channel"),
                photo=request.FILES.get("photo"),
                proxy_name=post.get("proxy_name", ""),
                proxy_document=request.FILES.get("proxy_document"),
            )
    elif action == "close":
        _run(request, services.vote_close, _("表决已截止"), vote=vote)
    elif action == "publish":
        _run(request, services.vote_publish, _("结果已公示"), vote=vote)
    return redirect("console:renovation:project", pk=vote.project_id)


@login_required
def notice_pdf(request, pk, kind):
    """The vote notice (before) or the result notice (after), for the notice board."""
    vote = get_visible_or_404(Vote.objects.select_related("project__estate"), request.actor, pk=pk)
    doc = pdf.document(vote.title)
    project = vote.project
    if kind == "result" and vote.state in (VoteState.CLOSED, VoteState.PUBLISHED):
        r = vote.result
        pdf.heading(doc, _("%(estate)s业主表决结果公示") % {"estate": project.estate.name})
        pdf.paragraph(
            doc,
            _("表决事项：%(t)s（民法典第二百七十八条第%(m)s项）")
            % {"t": vote.title, "m": vote.matter},
        )
        pdf.paragraph(
            doc,
            _(
                "参与表决：专有面积 %(pa)s/%(ta)s ㎡，业主 %(ph)s/%(th)s 人。同意：面积 %(fa)s ㎡，"
                "人数 %(fh)s 人。规则：%(rule)s（%(v)s）。"
            )
            % {
                "pa": r["part_area"],
                "ta": r["total_area"],
                "ph": r["part_heads"],
                "th": r["total_heads"],
                "fa": r["for_area"],
                "fh": r["for_heads"],
                "rule": r["rule"],
                "v": r["rule_version"],
            },
        )
        pdf.paragraph(doc, _("表决结果：通过") if r["approved"] else _("表决结果：未通过"))
        if vote.objection_until:
            pdf.paragraph(
                doc,
                _("公示期至 %(d)s，如有异议请在公示期内提出。")
                % {"d": f"{timezone.localtime(vote.objection_until):%Y-%m-%d}"},
            )
    else:
        pdf.heading(doc, _("%(estate)s业主表决公告") % {"estate": project.estate.name})
        pdf.paragraph(doc, _("表决事项：%(t)s") % {"t": vote.title})
        pdf.paragraph(
            doc,
            _(
                "请业主通过手机“小区改造”页面或纸质表决票参与表决。每位业主一票，"
                "多套房屋按专有面积合计计算。"
            ),
        )
        if vote.closes_at:
            pdf.paragraph(
                doc,
                _("截止时间：%(d)s")
                % {"d": f"{timezone.localtime(vote.closes_at):%Y-%m-%d %H:%M}"},
            )
    response = HttpResponse(pdf.as_bytes(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vote-{vote.pk}-{kind}.pdf"'
    return response
