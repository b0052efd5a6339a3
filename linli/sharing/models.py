from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.sharing.choices import Reach, ResourceKind, Status


class Resource(models.Model):
    """Something a community or organisation lends to others, bookable by slots."""

    code = models.SlugField(_("编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=ResourceKind.choices)
    owner_unit = models.ForeignKey(
        "org.OrgUnit",
        on_delete=models.PROTECT,
        related_name="shared_resources",
        verbose_name=_("所属社区"),
    )
    organisation = models.ForeignKey(
        "org.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shared_resources",
        verbose_name=_("所属组织"),
    )
    description = models.TextField(_("简介"), blank=True)
    photo = models.FileField(_("照片"), upload_to="sharing/", blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("每时段名额"), default=1)
    slot_minutes = models.PositiveSmallIntegerField(_("时段长度（分钟）"), default=60)
    reach = models.CharField(
        _("可预约范围"), max_length=16, choices=Reach.choices, default=Reach.STREET
    )
    needs_approval = models.BooleanField(_("需要审批"), default=False)
    min_notice_hours = models.PositiveSmallIntegerField(_("至少提前（小时）"), default=0)
    max_notice_days = models.PositiveSmallIntegerField(_("最多提前（天）"), default=30)
    max_duration_minutes = models.PositiveIntegerField(_("单次最长（分钟）"), default=120)
    max_per_week = models.PositiveSmallIntegerField(_("每人每周最多次数"), default=2)
    active = models.BooleanField(_("开放预约"), default=True)

    scope = Scope(unit="owner_unit", organisation="organisation")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("共享资源")
        verbose_name_plural = _("共享资源")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="sharing_resource_capacity_positive",
                violation_error_message=_("名额至少为 1"),
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=15),
                name="sharing_resource_slot_min",
                violation_error_message=_("时段至少 15 分钟"),
            ),
        ]

    def __str__(self):
        return self.name


class WeeklyHours(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("星期"))  # 0 = Monday
    opens = models.TimeField(_("开放"))
    closes = models.TimeField(_("关闭"))

    class Meta:
        verbose_name = _("每周开放时间")
        verbose_name_plural = _("每周开放时间")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")) & Q(weekday__lte=6),
                name="sharing_hours_valid",
                violation_error_message=_("关闭时间须晚于开放时间"),
            )
        ]

    def __str__(self):
        return f"{self.weekday} {self.opens}-{self.closes}"


class ScheduleException(models.Model):
    """A date with different hours, or closed altogether (blackout)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("日期"))
    closed = models.BooleanField(_("全天不开放"), default=True)
    opens = models.TimeField(_("开放"), null=True, blank=True)
    closes = models.TimeField(_("关闭"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("开放例外")
        verbose_name_plural = _("开放例外")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "date"],
                name="sharing_exception_unique_day",
                violation_error_message=_("该日期已有例外设置"),
            )
        ]

    def __str__(self):
        return f"{self.date} {self.note}"


class Quota(models.Model):
    """How many hours a month one community may book of another community's resources."""

    owner_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("提供方社区")
    )
    borrower_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("使用方社区")
    )
    monthly_hours = models.PositiveIntegerField(_("每月小时数"))

    scope = Scope(unit="owner_unit", perm="sharing.view_resource")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("配额")
        verbose_name_plural = _("配额")
        constraints = [
            models.UniqueConstraint(
                fields=["owner_unit", "borrower_unit"],
                name="sharing_quota_unique_pair",
                violation_error_message=_("这两个社区之间已有配额"),
            )
        ]

    def __str__(self):
        return f"{self.owner_unit_id}->{self.borrower_unit_id}: {self.monthly_hours}h"


class Booking(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    booker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shared_bookings"
    )
    borrower_unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("使用方社区")
    )
    on_behalf_of = models.ForeignKey(
        "org.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shared_bookings",
        verbose_name=_("代表组织"),
    )
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    places = models.PositiveSmallIntegerField(_("名额"), default=1)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices)
    reason = models.CharField(_("原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(unit="resource__owner_unit", organisation="on_behalf_of", user="booker")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["resource", "start"], name="sharing_booking_res_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")) & Q(places__gte=1),
                name="sharing_booking_valid_span",
                violation_error_message=_("结束时间须晚于开始时间"),
            )
        ]

    def __str__(self):
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"

    @property
    def hours(self):
        return (self.end - self.start).total_seconds() / 3600


class Seat(models.Model):
    """One place in one slot held by a booking: the database refuses a second holder.

    Seats are numbered below the resource's capacity, so the unique constraint on
    (resource, slot, number) makes over-capacity impossible even if the service's own check
    were bypassed; a cancelled booking deletes its seats.
    """

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="seats")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    slot = models.DateTimeField()
    number = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "slot", "number"],
                name="sharing_seat_unique",
                violation_error_message=_("该时段名额已被占用"),
            )
        ]

    def __str__(self):
        return f"{self.slot:%Y-%m-%d %H:%M} #{self.number}"


class WaitlistEntry(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="waitlist")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    places = models.PositiveSmallIntegerField(_("名额"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(unit="resource__owner_unit", user="user", perm="sharing.view_booking")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.resource_id} {self.start:%Y-%m-%d %H:%M}"


class SlotLottery(models.Model):
    """An oversubscribed slot given out by a verifiable draw (``linli.lottery``) instead of
    first come, first served; while it is open, the slot cannot be booked directly."""

    class State(models.TextChoices):
        OPEN = "open", _("报名中")
        DRAWN = "drawn", _("已抽签")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="lotteries")
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    draw = models.OneToOneField("lottery.Draw", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)

    scope = Scope(unit="resource__owner_unit", perm="sharing.view_resource")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("时段抽签")
        verbose_name_plural = _("时段抽签")
        ordering = ["start", "pk"]

    def __str__(self):
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"
