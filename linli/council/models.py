import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.council import choices as c

_user = settings.AUTH_USER_MODEL


def _token():
    return secrets.token_urlsafe(12)


class Council(models.Model):
    """邻里议事会 of a community (optionally of one estate)."""

    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    estate = models.ForeignKey(
        "org.Estate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("小区"),
    )
    name = models.CharField(_("名称"), max_length=100)
    cosign_threshold = models.PositiveSmallIntegerField(_("联署门槛"), default=5)
    majority = models.CharField(
        _("表决规则"), max_length=16, choices=c.Majority.choices, default=c.Majority.SIMPLE
    )
    objection_days = models.PositiveSmallIntegerField(_("公示天数"), default=7)
    quorum = models.JSONField(
        _("法定人数（按席位类别）"),
        default=dict,
        blank=True,
        help_text=_('例如 {"resident": 3, "property": 1}'),
    )
    ical_token = models.CharField(max_length=32, default=_token, unique=True)

    scope = Scope(unit="unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("议事会")
        verbose_name_plural = _("议事会")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Seat(models.Model):
    """A member's seat for a term; ended seats are the membership history."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats")
    category = models.CharField(_("席位类别"), max_length=16, choices=c.SeatCategory.choices)
    role = models.CharField(
        _("职务"), max_length=16, choices=c.SeatRole.choices, default=c.SeatRole.MEMBER
    )
    user = models.ForeignKey(_user, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    affiliation = models.CharField(_("单位"), max_length=100, blank=True)
    term_start = models.DateField(_("任期开始"))
    term_end = models.DateField(_("任期结束"), null=True, blank=True)

    scope = Scope(unit="council__unit", perm="council.view_council")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("席位")
        verbose_name_plural = _("席位")
        ordering = ["council_id", "category", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_category_display()}）"


class Topic(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("议题"), max_length=150)
    body = models.TextField(_("内容"), blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=c.TopicSource.choices)
    event_ref = models.CharField(_("关联事件"), max_length=64, blank=True)
    proposer = models.ForeignKey(
        _user, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=c.TopicStatus.choices, default=c.TopicStatus.PROPOSED
    )
    reason = models.TextField(_("处理理由"), blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cosign_count = models.PositiveIntegerField(_("联署数"), default=0)
    created_at = models.DateTimeField(_("提出时间"))

    scope = Scope(unit="council__unit", perm="council.view_council")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("议题")
        verbose_name_plural = _("议题")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "event_ref"],
                condition=~models.Q(event_ref=""),
                name="council_topic_event_unique",
                violation_error_message=_("该事件已提交议题"),
            )
        ]

    def __str__(self):
        return self.title


class CoSign(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="cosigns")
    user = models.ForeignKey(_user, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    scope = Scope(unit="topic__council__unit", user="user", perm="council.view_council")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user"],
                name="council_cosign_once",
                violation_error_message=_("您已联署过该议题"),
            )
        ]

    def __str__(self):
        return f"{self.user_id} → {self.topic_id}"


class Meeting(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("会议"), max_length=150)
    starts_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=150)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="meetings", verbose_name=_("议程")
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    checkin_token = models.CharField(max_length=32, default=_token, unique=True)

    scope = Scope(unit="council__unit", perm="council.view_council")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at"]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    checked_in_at = models.DateTimeField()

    scope = Scope(unit="meeting__council__unit", perm="council.view_council")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat"],
                name="council_attend_once",
                violation_error_message=_("已签到"),
            )
        ]

    def __str__(self):
        return f"{self.seat_id} @ {self.meeting_id}"


class Resolution(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="resolutions")
    text = models.TextField(_("决议内容"))
    positions = models.TextField(_("各方意见"), blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=c.ResolutionStatus.choices,
        default=c.ResolutionStatus.DRAFT,
    )
    votes_for = models.PositiveSmallIntegerField(default=0)
    votes_against = models.PositiveSmallIntegerField(default=0)
    votes_abstain = models.PositiveSmallIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    objection_until = models.DateTimeField(_("异议截止"), null=True, blank=True)

    scope = Scope(unit="meeting__council__unit", perm="council.view_council")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")
        ordering = ["-id"]

    def __str__(self):
        return self.topic.title


class Recusal(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="recusals")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resolution", "seat"], name="council_recuse_once")
        ]

    def __str__(self):
        return f"{self.seat_id} ⊘ {self.resolution_id}"


class Vote(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="votes")
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=8, choices=c.VoteChoice.choices)
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "seat"],
                name="council_vote_once",
                violation_error_message=_("已投过票"),
            )
        ]

    def __str__(self):
        return f"{self.seat_id}: {self.choice}"


class Objection(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="objections")
    user = models.ForeignKey(_user, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("异议"))
    answer = models.TextField(_("答复"), blank=True)
    created_at = models.DateTimeField()

    scope = Scope(
        unit="resolution__meeting__council__unit", user="user", perm="council.view_council"
    )
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return self.text[:50]


class Task(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("任务"), max_length=150)
    responsible = models.CharField(_("责任方"), max_length=100)
    due = models.DateField(_("期限"))
    status = models.CharField(
        _("状态"), max_length=8, choices=c.TaskStatus.choices, default=c.TaskStatus.OPEN
    )
    progress = models.PositiveSmallIntegerField(_("进度%"), default=0)
    notes = models.TextField(_("进展"), blank=True)
    overdue_notified = models.BooleanField(default=False)

    scope = Scope(unit="resolution__meeting__council__unit", perm="council.view_council")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("跟进任务")
        verbose_name_plural = _("跟进任务")
        ordering = ["due", "id"]

    def __str__(self):
        return self.title


class Rating(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(_user, on_delete=models.CASCADE, related_name="+")
    stars = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "user"],
                name="council_rate_once",
                violation_error_message=_("您已评价过"),
            ),
            models.CheckConstraint(
                condition=models.Q(stars__gte=1, stars__lte=5), name="council_rating_range"
            ),
        ]

    def __str__(self):
        return f"{self.stars}★"


class ParkingRound(models.Model):
    """车位分配: spaces of one estate drawn with two public lotteries (accessible, general)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="parking_rounds")
    estate = models.ForeignKey(
        "org.Estate", on_delete=models.PROTECT, related_name="+", verbose_name=_("小区")
    )
    title = models.CharField(_("名称"), max_length=150)
    spaces = models.PositiveSmallIntegerField(_("普通车位数"))
    accessible_spaces = models.PositiveSmallIntegerField(_("无障碍车位数"), default=0)
    general_draw = models.ForeignKey("lottery.Draw", on_delete=models.PROTECT, related_name="+")
    accessible_draw = models.ForeignKey(
        "lottery.Draw", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=c.ParkingStatus.choices, default=c.ParkingStatus.OPEN
    )
    objection_until = models.DateTimeField(_("异议截止"), null=True, blank=True)
    rotate_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("轮换：参照上一轮"),
    )
    created_at = models.DateTimeField()

    scope = Scope(unit="council__unit", perm="council.view_council")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("车位分配")
        verbose_name_plural = _("车位分配")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class ParkingApplication(models.Model):
    round = models.ForeignKey(ParkingRound, on_delete=models.CASCADE, related_name="applications")
    household = models.ForeignKey("org.Household", on_delete=models.PROTECT, related_name="+")
    second = models.BooleanField(_("第二个车位"), default=False)
    accessible = models.BooleanField(_("申请无障碍车位"), default=False)
    tier = models.PositiveSmallIntegerField(_("优先级"))
    ref = models.CharField(max_length=64)
    applied_by = models.ForeignKey(_user, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    scope = Scope(unit="round__council__unit", household="household", perm="council.view_council")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["round_id", "tier", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "household", "second"],
                name="council_parking_apply_once",
                violation_error_message=_("该户已申请过"),
            )
        ]

    def __str__(self):
        return self.ref


class ParkingObjection(models.Model):
    round = models.ForeignKey(ParkingRound, on_delete=models.CASCADE, related_name="objections")
    user = models.ForeignKey(_user, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("异议"))
    answer = models.TextField(_("答复"), blank=True)
    created_at = models.DateTimeField()

    def __str__(self):
        return self.text[:50]
