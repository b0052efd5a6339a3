"""Grid governance: party branches and workers, events with their workflow and deadlines, the
special-care register with visits and care alerts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.grid.choices import (
    Action,
    DayKind,
    Level,
    LimitUnit,
    Source,
    State,
    Tier,
    Urgency,
    VisitMethod,
)

USER = settings.AUTH_USER_MODEL


class Branch(models.Model):
    """The party branch of a grid (网格党支部)."""

    grid = models.OneToOneField("org.OrgUnit", on_delete=models.CASCADE, related_name="branch")
    name = models.CharField(_("支部名称"), max_length=60)
    secretary = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    members = models.PositiveIntegerField(_("党员人数"), default=0)

    scope = Scope(unit="grid", perm="grid.view_event", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return self.name


class Worker(models.Model):
    """A grid worker's public card: who residents call, and the party member's pledge."""

    user = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="grid_worker")
    grid = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="workers")
    name = models.CharField(_("姓名"), max_length=30)
    phone = models.CharField(_("工作电话"), max_length=20)
    party_member = models.BooleanField(_("党员"), default=False)
    pledge_identity = models.CharField(_("亮身份"), max_length=100, blank=True)
    pledge_promise = models.CharField(_("亮承诺"), max_length=200, blank=True)
    pledge_duty = models.CharField(_("亮责任"), max_length=200, blank=True)

    scope = Scope(unit="grid", perm="grid.view_event", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return self.name


class Boundary(models.Model):
    grid = models.OneToOneField("org.OrgUnit", on_delete=models.CASCADE, related_name="boundary")
    geojson = models.JSONField(_("边界(GeoJSON)"))

    def __str__(self):
        return f"{self.grid}"


class Category(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("事件类别")
        verbose_name_plural = _("事件类别")

    def __str__(self):
        return self.name


class TimeLimit(models.Model):
    """How long an event may take, by urgency and optionally category (a category rule wins)."""

    urgency = models.CharField(_("紧急程度"), max_length=12, choices=Urgency.choices)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    amount = models.PositiveIntegerField(_("时限"))
    unit = models.CharField(_("单位"), max_length=16, choices=LimitUnit.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["urgency", "category"],
                name="grid_limit_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        return f"{self.get_urgency_display()} {self.amount} {self.get_unit_display()}"


class Holiday(models.Model):
    """The official holiday table (放假) and make-up workdays (调休上班), kept as data."""

    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=30)

    class Meta:
        ordering = ["day"]
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")

    def __str__(self):
        return f"{self.day} {self.name}"


class Event(models.Model):
    number = models.CharField(_("编号"), max_length=20, unique=True)
    title = models.CharField(_("标题"), max_length=100)
    description = models.TextField(_("描述"), max_length=4000)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("类别"))
    urgency = models.CharField(
        _("紧急程度"), max_length=12, choices=Urgency.choices, default=Urgency.GENERAL
    )
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    grid = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="events", verbose_name=_("网格")
    )
    building = models.ForeignKey(
        "org.Building", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    household = models.ForeignKey(
        "org.Household", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(_("地点"), max_length=200, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    reporter = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_person = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact = models.CharField(_("联系人/电话"), max_length=60, blank=True)
    photo = models.ImageField(_("照片"), upload_to="grid/%Y/%m/", blank=True)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.REPORTED
    )
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, default=Level.GRID)
    assignee = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(_("上报时间"), db_index=True)
    accept_due_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("办结时限"), null=True, blank=True, db_index=True)
    check_due_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    closed_on_time = models.BooleanField(null=True, blank=True)
    closed_level = models.CharField(max_length=10, choices=Level.choices, blank=True)
    extension_days = models.PositiveSmallIntegerField(default=0)
    reworks = models.PositiveSmallIntegerField(_("返工次数"), default=0)
    warned = models.BooleanField(default=False)
    rating = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    rating_note = models.CharField(max_length=200, blank=True)
    reject_reason = models.CharField(_("不予立案理由"), max_length=200, blank=True)
    external_ref = models.CharField(max_length=120, null=True, blank=True, unique=True)

    scope = Scope(
        unit="grid",
        user="reporter",
        person="reporter_person",
        self_perms=("grid.view_event",),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格事件")
        verbose_name_plural = _("网格事件")
        ordering = ["-reported_at"]
        indexes = [models.Index(fields=["state", "due_at"], name="grid_event_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="grid_event_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(extension_days__lte=15), name="grid_event_extension_max"
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class Step(models.Model):
    """Who did what, when: the event's append-only history."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=12, choices=Action.choices)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(max_length=60, blank=True)
    at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    photo = models.ImageField(upload_to="grid/%Y/%m/", blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.event_id} {self.action}"


class Extension(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延期天数"))
    reason = models.CharField(_("理由"), max_length=200)
    approved = models.BooleanField(null=True)
    requested_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.event_id} +{self.days}"


class CareGroup(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=30)

    def __str__(self):
        return self.name


class CareRecord(models.Model):
    person = models.OneToOneField(
        "org.Person", on_delete=models.PROTECT, related_name="care", verbose_name=_("居民")
    )
    groups = models.ManyToManyField(CareGroup, verbose_name=_("关爱类别"))
    tier = models.CharField(_("风险等级"), max_length=10, choices=Tier.choices, default=Tier.KEY)
    helper = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("一对一帮扶人"),
    )
    contact_name = models.CharField(_("紧急联系人"), max_length=30, blank=True)
    contact_phone = models.CharField(_("紧急联系电话"), max_length=20, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    active = models.BooleanField(default=True)
    last_visit_at = models.DateTimeField(null=True, blank=True)
    next_visit_due = models.DateField(_("下次探访"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        unit="person__household__building__grid",
        estate="person__household__building__estate",
        user="helper",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("关爱对象")
        verbose_name_plural = _("关爱对象")

    def __str__(self):
        return str(self.person)


class Visit(models.Model):
    record = models.ForeignKey(CareRecord, on_delete=models.CASCADE, related_name="visits")
    helper = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("时间"))
    method = models.CharField(_("方式"), max_length=10, choices=VisitMethod.choices)
    note = models.CharField(_("情况"), max_length=300, blank=True)
    needs = models.CharField(_("发现的需求"), max_length=300, blank=True)
    device_ref = models.CharField(max_length=80, blank=True)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL)

    scope = Scope(
        unit="record__person__household__building__grid", user="helper", perm="grid.view_carerecord"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.record_id} {self.at:%Y-%m-%d}"


class CareAlert(models.Model):
    record = models.ForeignKey(CareRecord, on_delete=models.CASCADE, related_name="alerts")
    title = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    external_ref = models.CharField(max_length=120, unique=True)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL)
    opened_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.title


class ApiKey(models.Model):
    """A third-party application's Open311 key (only its hash is kept)."""

    name = models.CharField(max_length=60)
    key_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
