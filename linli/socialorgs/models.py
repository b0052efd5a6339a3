"""Community social organisations: registry profile, incubation applications, activities with
sign-up and waiting list, government purchase of services with deliverables and reports."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.socialorgs.choices import AppState, Audience, Field, Legal, SignupState

USER = settings.AUTH_USER_MODEL


def new_code():
    return secrets.token_urlsafe(9)


class Profile(models.Model):
    organisation = models.OneToOneField(
        "org.Organisation", on_delete=models.CASCADE, related_name="profile"
    )
    field = models.CharField(_("领域"), max_length=12, choices=Field.choices)
    legal = models.CharField(_("登记状态"), max_length=12, choices=Legal.choices)
    founded = models.DateField(_("成立日期"), null=True, blank=True)
    leader = models.CharField(_("负责人"), max_length=30, blank=True)
    members = models.PositiveIntegerField(_("成员数"), default=0)
    service_area = models.CharField(_("服务范围"), max_length=100, blank=True)
    services = models.CharField(_("服务内容"), max_length=300, blank=True)
    active = models.BooleanField(_("活跃"), default=True)
    reviewed_year = models.PositiveIntegerField(_("年审年度"), null=True, blank=True)

    scope = Scope(unit="organisation__unit", organisation="organisation", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return str(self.organisation)


class StatusChange(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="history")
    legal = models.CharField(max_length=12, choices=Legal.choices)
    note = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.profile_id} {self.legal}"


class Application(models.Model):
    """An application to be filed with the street or incubated, reviewed at two levels."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("拟成立组织名称"), max_length=100)
    field = models.CharField(_("领域"), max_length=12, choices=Field.choices)
    applicant = models.CharField(_("申请人"), max_length=30)
    phone = models.CharField(_("联系电话"), max_length=20)
    plan = models.TextField(_("服务计划"))
    checklist = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=14, choices=AppState.choices, default=AppState.SUBMITTED)
    decision = models.CharField(_("审核意见"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "org.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="unit", perm="socialorgs.view_profile", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return self.name


class Activity(models.Model):
    organisation = models.ForeignKey(
        "org.Organisation", on_delete=models.PROTECT, related_name="activities"
    )
    title = models.CharField(_("活动名称"), max_length=100)
    description = models.TextField(_("活动介绍"), blank=True)
    audience = models.CharField(_("面向"), max_length=10, choices=Audience.choices, default="all")
    place = models.CharField(_("地点"), max_length=100)
    starts_at = models.DateTimeField(_("开始"))
    ends_at = models.DateTimeField(_("结束"))
    capacity = models.PositiveIntegerField(_("名额"))
    signup_opens = models.DateTimeField(_("报名开始"))
    signup_closes = models.DateTimeField(_("报名截止"))
    code = models.CharField(max_length=20, unique=True, default=new_code, editable=False)
    booking = models.ForeignKey(
        "sharing.Booking", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed = models.PositiveIntegerField(default=0)

    scope = Scope(unit="organisation__unit", organisation="organisation", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="socialorgs_capacity"),
            models.CheckConstraint(
                condition=Q(confirmed__lte=models.F("capacity")),
                name="socialorgs_not_over_capacity",
                violation_error_message=_("名额已满"),
            ),
        ]

    def __str__(self):
        return self.title


class Signup(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=10, choices=SignupState.choices)
    created_at = models.DateTimeField()
    checked_in_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)

    scope = Scope(
        unit="activity__organisation__unit",
        organisation="activity__organisation",
        person="person",
        perm="socialorgs.view_profile",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="socialorgs_signup_once",
                violation_error_message=_("您已报名"),
            )
        ]

    def __str__(self):
        return f"{self.activity_id}:{self.person_id}"


class Purchase(models.Model):
    """政府购买服务: a project bought from an organisation, with deliverables and instalments."""

    organisation = models.ForeignKey(
        "org.Organisation", on_delete=models.PROTECT, related_name="purchases"
    )
    buyer = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("项目"), max_length=100)
    budget = models.DecimalField(_("预算(元)"), max_digits=12, decimal_places=2)
    starts = models.DateField(_("开始"))
    ends = models.DateField(_("结束"))
    report_every_days = models.PositiveIntegerField(_("报告周期(天)"), default=90)
    score = models.PositiveSmallIntegerField(_("终期评估"), null=True, blank=True)

    scope = Scope(unit="buyer", organisation="organisation", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return self.title


class Deliverable(models.Model):
    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="deliverables")
    name = models.CharField(_("指标"), max_length=60)
    target = models.PositiveIntegerField(_("目标"))

    def __str__(self):
        return self.name


class Report(models.Model):
    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="reports")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="reports")
    amount = models.PositiveIntegerField(_("完成数量"))
    evidence = models.FileField(_("佐证材料"), upload_to="socialorgs/reports/%Y/", blank=True)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.deliverable} +{self.amount}"


class Instalment(models.Model):
    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="instalments")
    milestone = models.CharField(_("节点"), max_length=60)
    percent_done = models.PositiveSmallIntegerField(_("须完成(%)"))
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    paid_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.milestone
