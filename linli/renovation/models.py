"""Micro-renovation: projects and items, opinion surveys, owners' votes under Civil Code
art. 278 (a roll of owners fixed when the vote opens, one ballot per owner), residents'
supervision and acceptance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.renovation.choices import Channel, Choice, Funding, ItemClass, Matter, Stage, VoteState

USER = settings.AUTH_USER_MODEL


class Project(models.Model):
    estate = models.ForeignKey("org.Estate", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey(
        "org.Building", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("项目"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    stage = models.CharField(
        _("阶段"), max_length=12, choices=Stage.choices, default=Stage.PLANNING
    )
    budget = models.DecimalField(_("预算(元)"), max_digits=12, decimal_places=2, default=0)
    spent = models.DecimalField(_("已支出(元)"), max_digits=12, decimal_places=2, default=0)
    fund_used = models.DecimalField(
        _("动用维修资金(元)"), max_digits=12, decimal_places=2, default=0
    )
    source_kind = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    source_label = models.CharField(max_length=200, blank=True)
    source_url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="estate__community", estate="estate", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Item(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    cls = models.CharField(_("类别"), max_length=10, choices=ItemClass.choices)
    title = models.CharField(_("内容"), max_length=100)
    scope_note = models.CharField(_("范围"), max_length=200, blank=True)
    cost = models.DecimalField(_("估算(元)"), max_digits=12, decimal_places=2, default=0)
    funding = models.CharField(_("资金来源"), max_length=12, choices=Funding.choices)

    class Meta:
        ordering = ["cls", "pk"]

    def __str__(self):
        return self.title


class Survey(models.Model):
    """征求意见: one household, one answer: the items it supports (multiple choice) and words."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="survey")
    question = models.CharField(max_length=200)
    open = models.BooleanField(default=True)

    def __str__(self):
        return self.question


class Response(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    household = models.ForeignKey("org.Household", on_delete=models.CASCADE, related_name="+")
    items = models.ManyToManyField(Item, blank=True)
    text = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "household"], name="renovation_survey_once")
        ]

    def __str__(self):
        return f"{self.survey_id}:{self.household_id}"


class Vote(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="votes")
    item = models.ForeignKey(Item, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(_("表决事项"), max_length=150)
    matter = models.PositiveSmallIntegerField(_("法定事项"), choices=Matter.choices)
    building = models.ForeignKey(
        "org.Building", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stairwell = models.ForeignKey(
        "org.Stairwell", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    secret = models.BooleanField(_("不公开每户意见"), default=True)
    state = models.CharField(max_length=10, choices=VoteState.choices, default=VoteState.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closes_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    rule_version = models.CharField(max_length=40, blank=True)
    result = models.JSONField(default=dict, blank=True)
    objection_until = models.DateTimeField(null=True, blank=True)

    scope = Scope(unit="project__estate__community", estate="project__estate", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return self.title


class Nomination(models.Model):
    """Co-owners of one unit name the one who votes for it (before the vote opens)."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="nominations")
    household = models.ForeignKey("org.Household", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "household"], name="renovation_nominate_once")
        ]

    def __str__(self):
        return f"{self.household_id}→{self.person_id}"


class Elector(models.Model):
    """The roll, fixed when the vote opens: one row per owner with the sum of their areas."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="electors")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    area = models.DecimalField(max_digits=12, decimal_places=2)
    units = models.PositiveIntegerField(default=1)
    label = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vote", "person"], name="renovation_elector_once")
        ]

    def __str__(self):
        return self.label


class Ballot(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    elector = models.OneToOneField(
        Elector,
        on_delete=models.PROTECT,
        related_name="ballot",
        error_messages={"unique": _("该业主已投票")},
    )
    choice = models.CharField(max_length=8, choices=Choice.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    photo = models.ImageField(upload_to="renovation/ballots/%Y/", blank=True)
    proxy_name = models.CharField(_("受托人"), max_length=30, blank=True)
    proxy_document = models.ImageField(upload_to="renovation/proxies/%Y/", blank=True)
    entered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["vote", "choice"], name="renovation_ballot_choice")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel__in=[Channel.PAPER, Channel.DOOR]) | ~Q(photo=""),
                name="renovation_paper_needs_photo",
            ),
            models.CheckConstraint(
                condition=~Q(channel=Channel.PROXY) | ~Q(proxy_name=""),
                name="renovation_proxy_named",
            ),
        ]

    def __str__(self):
        return f"{self.vote_id}:{self.elector_id}"


class Objection(models.Model):
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="objections")
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)
    answer = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.text[:40]


class Inspection(models.Model):
    """A supervision-group member's log of the works; a finding is tracked until rectified."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="inspections")
    by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    note = models.CharField(_("检查情况"), max_length=500)
    photo = models.ImageField(upload_to="renovation/inspections/%Y/", blank=True)
    finding = models.BooleanField(_("发现问题需整改"), default=False)
    rectified_at = models.DateTimeField(null=True, blank=True)
    rectification = models.CharField(_("整改情况"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return self.note[:40]


class Supervisor(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="supervisors")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="renovation_supervisor_once")
        ]

    def __str__(self):
        return str(self.user)


class Acceptance(models.Model):
    """竣工验收: signed by the community, the supervision group and the contractor."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="acceptance")
    checklist = models.JSONField(default=list)
    community_signed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    supervisor_signed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contractor = models.CharField(_("施工单位"), max_length=80, blank=True)
    contractor_signed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.project}"
