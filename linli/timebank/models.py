"""Time bank: volunteers serve elders; confirmed time is deposited in the ledger (minutes) and
later spent on services. Balances live in ``linli.ledger``; these rows say why they moved."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.timebank import conf
from linli.timebank.choices import (
    Channel,
    FlagKind,
    GiftState,
    ServiceState,
    VolunteerKind,
    VolunteerStatus,
)

USER = settings.AUTH_USER_MODEL


def new_code():
    return secrets.token_urlsafe(9)


class Policy(models.Model):
    """Rules of a city or street (the deepest one above a street applies)."""

    unit = models.OneToOneField(
        "org.OrgUnit", on_delete=models.CASCADE, related_name="timebank_policy"
    )
    withdraw_age = models.PositiveSmallIntegerField(_("可兑换年龄"), default=conf.WITHDRAW_AGE)
    hardship_age = models.PositiveSmallIntegerField(
        _("困难老人可兑换年龄"), default=conf.HARDSHIP_AGE
    )
    lifetime_cap_minutes = models.PositiveIntegerField(
        _("存储上限(分钟)"), default=conf.LIFETIME_CAP_MINUTES
    )
    daily_cap_minutes = models.PositiveIntegerField(
        _("每日存入上限(分钟)"), default=conf.DAILY_CAP_MINUTES
    )
    backing_fund_hours = models.PositiveIntegerField(_("兑换保障基金(小时)"), default=0)
    award_points = models.BooleanField(_("服务同时奖励积分"), default=False)
    version = models.PositiveIntegerField(default=1)

    scope = Scope(unit="unit", reach_up=True, perm="timebank.view_service")
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return f"{self.unit} v{self.version}"


class Category(models.Model):
    code = models.SlugField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30)
    weight = models.DecimalField(
        _("每小时时间币"), max_digits=4, decimal_places=2, default=Decimal("1.00")
    )
    active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="timebank_category_weight")
        ]

    def __str__(self):
        return self.name


class Volunteer(models.Model):
    kind = models.CharField(
        _("类型"), max_length=12, choices=VolunteerKind.choices, default=VolunteerKind.INDIVIDUAL
    )
    person = models.OneToOneField(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer",
        verbose_name=_("居民"),
    )
    organisation = models.OneToOneField(
        "org.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_group",
        verbose_name=_("团体"),
    )
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("服务网格")
    )
    skills = models.ManyToManyField(Category, blank=True, verbose_name=_("技能"))
    availability = models.CharField(_("可服务时间"), max_length=100, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=VolunteerStatus.choices, default=VolunteerStatus.PENDING
    )
    verified_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="unit", person="person", organisation="organisation")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("志愿者")
        verbose_name_plural = _("志愿者")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=VolunteerKind.INDIVIDUAL) & Q(person__isnull=False))
                | (Q(kind=VolunteerKind.GROUP) & Q(organisation__isnull=False)),
                name="timebank_volunteer_owner_matches_kind",
            )
        ]

    def __str__(self):
        return str(self.person or self.organisation)


class Hardship(models.Model):
    """An elder recognised as in hardship may spend time earlier (DOMAIN.md §4)."""

    person = models.OneToOneField("org.Person", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("原因"), max_length=200)
    approved_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="person__household__building__grid", perm="timebank.view_service")
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return f"{self.person} · {self.reason}"


class Designation(models.Model):
    """A holder lets a relative spend the holder's time on services for that relative."""

    holder = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    relative = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("关系"), max_length=20)
    approved_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        unit="holder__household__building__grid", person="holder", perm="timebank.view_service"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["holder", "relative"], name="timebank_designation_once")
        ]

    def __str__(self):
        return f"{self.holder} → {self.relative} ({self.relation})"


class Service(models.Model):
    """One request for help and, once served, its record (check-in/out, confirmations)."""

    elder = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("服务对象")
    )
    category = models.ForeignKey(Category, on_delete=models.PROTECT, verbose_name=_("服务类别"))
    starts_at = models.DateTimeField(_("预约时间"))
    minutes = models.PositiveIntegerField(_("预计时长(分钟)"))
    note = models.CharField(_("需求说明"), max_length=300, blank=True)
    channel = models.CharField(_("提交方式"), max_length=10, choices=Channel.choices)
    source = models.CharField(max_length=80, blank=True)
    created_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    state = models.CharField(
        _("状态"), max_length=16, choices=ServiceState.choices, default=ServiceState.OPEN
    )
    volunteer = models.ForeignKey(
        Volunteer, null=True, blank=True, on_delete=models.PROTECT, related_name="services"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    code = models.CharField(max_length=20, unique=True, default=new_code, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    manual_reason = models.CharField(_("手工登记原因"), max_length=200, blank=True)
    served_minutes = models.PositiveIntegerField(_("实际服务(分钟)"), null=True, blank=True)
    record_note = models.CharField(_("服务记录"), max_length=300, blank=True)
    elder_confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    elder_confirmed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("评价"), null=True, blank=True)
    dispute = models.CharField(_("争议"), max_length=300, blank=True)
    category_version = models.PositiveIntegerField(default=1)
    policy_version = models.PositiveIntegerField(default=0)
    coins = models.PositiveIntegerField(_("存入(分钟)"), default=0)
    overflow = models.PositiveIntegerField(_("转入互助池(分钟)"), default=0)
    # Paid services: the hours of ``payer`` (the elder or a holder who designated them).
    payer = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hold = models.OneToOneField(
        "ledger.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(
        unit="elder__household__building__grid",
        person="elder",
        perm="timebank.view_service",
        self_perms=("timebank.view_service",),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("服务")
        verbose_name_plural = _("服务")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["state", "starts_at"], name="timebank_service_state"),
            models.Index(fields=["volunteer", "elder", "reviewed_at"], name="timebank_pair"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=8 * 60),
                name="timebank_service_minutes",
                violation_error_message=_("服务时长须在 1 分钟到 8 小时之间"),
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="timebank_service_rating",
            ),
        ]

    def __str__(self):
        return f"{self.category} · {self.elder} · {self.starts_at:%Y-%m-%d}"


class Gift(models.Model):
    """Time given to a relative (approved by staff) or donated to the street's pool."""

    giver = models.ForeignKey("org.Person", on_delete=models.PROTECT, related_name="+")
    receiver = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    relation = models.CharField(_("关系"), max_length=20, blank=True)
    minutes = models.PositiveIntegerField(_("分钟"))
    state = models.CharField(max_length=10, choices=GiftState.choices, default=GiftState.PENDING)
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    hold = models.OneToOneField(
        "ledger.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    scope = Scope(
        unit="giver__household__building__grid", person="giver", perm="timebank.view_service"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="timebank_gift_positive")
        ]

    def __str__(self):
        return f"{self.giver} → {self.receiver or '互助池'} {self.minutes}"


class Flag(models.Model):
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    detail = models.CharField(max_length=300)
    ref = models.CharField(max_length=120, unique=True)
    resolved_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="unit", perm="timebank.review")
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return self.detail
