"""Shared resources, their opening hours, bookings and the seats that hold capacity.

Capacity is enforced by the database on every backend: a booking takes ``places`` seat rows for
each slot it covers, and (resource, slot start, seat number) is unique, so two bookings can
never hold the same seat whatever the interleaving.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.sharing.choices import Audience, BookingState

USER = settings.AUTH_USER_MODEL


class Kind(models.Model):
    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=30)

    def __str__(self):
        return self.name


class Resource(models.Model):
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属社区")
    )
    organisation = models.ForeignKey(
        "org.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.ForeignKey(Kind, on_delete=models.PROTECT, verbose_name=_("类型"))
    name = models.CharField(_("名称"), max_length=80)
    description = models.TextField(_("介绍"), blank=True)
    photo = models.ImageField(_("照片"), upload_to="sharing/", blank=True)
    location = models.CharField(_("地点"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("每时段名额"), default=1)
    slot_minutes = models.PositiveIntegerField(_("时段长度(分钟)"), default=60)
    audience = models.CharField(
        _("可预约范围"), max_length=10, choices=Audience.choices, default=Audience.STREET
    )
    needs_approval = models.BooleanField(_("需要审批"), default=False)
    min_notice_hours = models.PositiveIntegerField(_("最少提前(小时)"), default=2)
    max_notice_days = models.PositiveIntegerField(_("最多提前(天)"), default=30)
    max_duration_minutes = models.PositiveIntegerField(_("单次最长(分钟)"), default=120)
    max_per_week = models.PositiveIntegerField(_("每人每周最多"), default=3)
    active = models.BooleanField(_("开放"), default=True)

    scope = Scope(unit="unit", organisation="organisation", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("共享资源")
        verbose_name_plural = _("共享资源")
        ordering = ["unit__path", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="sharing_capacity"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=15), name="sharing_slot_min"),
        ]

    def __str__(self):
        return self.name


class Hours(models.Model):
    """Weekly opening hours; several rows per weekday are allowed (morning, afternoon)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("星期"))  # 0 = Monday
    opens = models.TimeField(_("开放"))
    closes = models.TimeField(_("关闭"))

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="sharing_hours"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="sharing_weekday"),
        ]

    def __str__(self):
        return f"{self.weekday} {self.opens}-{self.closes}"


class Closure(models.Model):
    """A date that differs from the weekly schedule: closed (blackout) or special hours."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="closures")
    day = models.DateField(_("日期"))
    closed = models.BooleanField(_("全天关闭"), default=True)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "day"], name="sharing_exception_day")
        ]

    def __str__(self):
        return f"{self.day} {self.note}"


class Quota(models.Model):
    """Hours per month that one community's people may book on another community's resource."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="quotas")
    community = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    hours_per_month = models.PositiveIntegerField(_("每月小时"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "community"], name="sharing_quota_once")
        ]

    def __str__(self):
        return f"{self.community} {self.hours_per_month}h"


class Booking(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="bookings")
    booker = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        "org.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("预约方社区")
    )
    start = models.DateTimeField(_("开始"), db_index=True)
    end = models.DateTimeField(_("结束"))
    places = models.PositiveIntegerField(_("人数/名额"), default=1)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    source = models.CharField(max_length=80, blank=True)
    state = models.CharField(max_length=12, choices=BookingState.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminded = models.BooleanField(default=False)

    scope = Scope(
        unit="resource__unit",
        organisation="on_behalf_of",
        person="person",
        user="booker",
        perm="sharing.view_booking",
        self_perms=("sharing.view_booking",),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="sharing_span"),
            models.CheckConstraint(condition=Q(places__gte=1), name="sharing_places"),
        ]

    def __str__(self):
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"

    @property
    def hours(self):
        return (self.end - self.start).total_seconds() / 3600


class Seat(models.Model):
    """One place in one slot, held by a booking; the unique key is the capacity guard."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    slot = models.DateTimeField()
    number = models.PositiveIntegerField()
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="seats")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "slot", "number"],
                name="sharing_seat_once",
                violation_error_message=_("该时段已满"),
            )
        ]

    def __str__(self):
        return f"{self.resource_id} {self.slot} #{self.number}"


class Wait(models.Model):
    """The waiting list for a full slot, served in order when places free up."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="waits")
    booker = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("org.Person", null=True, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    places = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.resource_id} {self.start}"


class SlotDraw(models.Model):
    """A lottery for one oversubscribed slot (the shared mechanism in ``linli.lottery``)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="draws")
    start = models.DateTimeField()
    end = models.DateTimeField()
    draw = models.OneToOneField("lottery.Draw", on_delete=models.PROTECT, related_name="+")

    def __str__(self):
        return str(self.draw)
