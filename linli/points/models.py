"""Points: earning rules, activities, awards (the reason behind each ledger credit), a catalogue
of rewards and redemptions. Balances live in ``linli.ledger``; this app says why they moved.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.points.choices import (
    AwardState,
    Category,
    Expiry,
    ItemKind,
    Per,
    RedemptionState,
    Source,
)


def new_code():
    return secrets.token_urlsafe(9)


class Rule(models.Model):
    """How many points an action earns. ``unit`` None is the platform default; a street's rule
    overrides it for its communities and a community's rule overrides the street's."""

    unit = models.ForeignKey(
        "org.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="point_rules",
        verbose_name=_("适用范围"),
    )
    code = models.SlugField(_("编码"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    points = models.PositiveIntegerField(_("积分"))
    per = models.CharField(_("计分单位"), max_length=8, choices=Per.choices, default=Per.TIME)
    daily_limit = models.PositiveIntegerField(_("每日上限"), null=True, blank=True)
    weekly_limit = models.PositiveIntegerField(_("每周上限"), null=True, blank=True)
    monthly_limit = models.PositiveIntegerField(_("每月上限"), null=True, blank=True)
    needs_evidence = models.BooleanField(_("需要凭证"), default=False)
    needs_approval = models.BooleanField(_("需要审核"), default=False)
    claimable = models.BooleanField(_("居民可申报"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    active_from = models.DateField(_("生效日期"), null=True, blank=True)
    active_until = models.DateField(_("失效日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(unit="unit", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["category", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=Q(unit__isnull=False),
                name="points_rule_unit_code",
                violation_error_message=_("该范围内已有同编码的规则"),
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(unit__isnull=True),
                name="points_rule_default_code",
            ),
        ]

    def __str__(self):
        return self.name


class Policy(models.Model):
    """A community's (or street's) expiry policy."""

    unit = models.OneToOneField(
        "org.OrgUnit", on_delete=models.CASCADE, related_name="points_policy"
    )
    expiry = models.CharField(
        _("有效期"), max_length=16, choices=Expiry.choices, default=Expiry.NEVER
    )

    scope = Scope(unit="unit", perm="points.view_rule")
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return f"{self.unit} · {self.get_expiry_display()}"


class Activity(models.Model):
    """An event whose QR code residents scan to check in (and out, for hourly rules)."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "org.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, verbose_name=_("积分规则"))
    title = models.CharField(_("活动名称"), max_length=100)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    code = models.CharField(max_length=20, unique=True, default=new_code, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="unit", organisation="organisation", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分活动")
        verbose_name_plural = _("积分活动")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="points_activity_ends_after_start",
                violation_error_message=_("结束时间必须晚于开始时间"),
            )
        ]

    def __str__(self):
        return self.title


class CheckIn(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="checkins")
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    checked_in_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(
        unit="person__household__building__grid", person="person", perm="points.view_award"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="points_checkin_once",
                violation_error_message=_("您已签到过该活动"),
            )
        ]

    def __str__(self):
        return f"{self.person_id}@{self.activity_id}"


class Award(models.Model):
    """Why points were credited: one row per earning event, granted, pending or rejected."""

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="point_awards", verbose_name=_("居民")
    )
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, verbose_name=_("规则"))
    rule_version = models.PositiveIntegerField()
    quantity = models.DecimalField(_("数量"), max_digits=8, decimal_places=2, default=1)
    points = models.PositiveIntegerField(_("积分"))
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    state = models.CharField(
        _("状态"), max_length=12, choices=AwardState.choices, default=AwardState.PENDING
    )
    key = models.CharField(max_length=160, unique=True)
    ref = models.CharField(_("关联"), max_length=120, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    evidence = models.ImageField(_("凭证照片"), upload_to="points/evidence/%Y/%m/", blank=True)
    activity = models.ForeignKey(Activity, null=True, blank=True, on_delete=models.SET_NULL)
    transfer = models.OneToOneField(
        "ledger.Transfer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("审核意见"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    earned_on = models.DateField(_("日期"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        unit="person__household__building__grid",
        estate="person__household__building__estate",
        person="person",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "rule", "earned_on"], name="points_award_limit")]

    def __str__(self):
        return f"{self.person} +{self.points} {self.rule}"


class Item(models.Model):
    """A reward in a community's catalogue."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    estate = models.ForeignKey(
        "org.Estate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("物业费抵用券等由该小区物业核销"),
    )
    kind = models.CharField(_("类型"), max_length=12, choices=ItemKind.choices)
    name = models.CharField(_("名称"), max_length=80)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    cost = models.PositiveIntegerField(_("所需积分"))
    stock = models.PositiveIntegerField(_("库存"))
    per_person_limit = models.PositiveIntegerField(_("每人限兑"), null=True, blank=True)
    active = models.BooleanField(_("上架"), default=True)
    available_from = models.DateField(_("开始兑换"), null=True, blank=True)
    available_until = models.DateField(_("截止兑换"), null=True, blank=True)
    photo = models.ImageField(_("图片"), upload_to="points/items/", blank=True)

    scope = Scope(unit="unit", estate="estate", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("兑换商品")
        verbose_name_plural = _("兑换商品")
        ordering = ["cost", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="points_item_cost_positive"),
        ]

    def __str__(self):
        return self.name


class Redemption(models.Model):
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="redemptions")
    person = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    points = models.PositiveIntegerField(_("积分"))
    state = models.CharField(
        _("状态"),
        max_length=12,
        choices=RedemptionState.choices,
        default=RedemptionState.PENDING,
    )
    code = models.CharField(_("券码"), max_length=20, unique=True, default=new_code)
    hold = models.OneToOneField("ledger.Hold", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope = Scope(
        unit="item__unit", estate="item__estate", person="person", perm="points.view_redemption"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("兑换")
        verbose_name_plural = _("兑换")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.item} · {self.person}"
