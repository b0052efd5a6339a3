from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.lottery.choices import DrawStatus


class Draw(models.Model):
    """A public draw: the seed's SHA-256 is published at creation, the seed at the draw."""

    code = models.SlugField(_("编号"), max_length=32, unique=True)
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位")
    )
    title = models.CharField(_("名称"), max_length=150)
    slots = models.PositiveIntegerField(_("名额"))
    source = models.CharField(_("来源"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=DrawStatus.choices, default=DrawStatus.OPEN
    )
    algorithm = models.CharField(_("算法"), max_length=32, default="linli-lottery-v1")
    # The secret stays in the database until the draw; only its hash is shown before.
    seed = models.CharField(_("种子"), max_length=64)
    seed_hash = models.CharField(_("种子哈希"), max_length=64)
    public_value = models.CharField(_("公开随机值"), max_length=200, blank=True)
    entries_digest = models.CharField(_("报名名单摘要"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"))
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("开奖时间"), null=True, blank=True)

    scope = Scope(unit="unit")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽签")
        verbose_name_plural = _("抽签")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def revealed_seed(self):
        return self.seed if self.status == DrawStatus.DRAWN else ""


class Entry(models.Model):
    """One applicant. ``label`` is public (pseudonymised by the caller); ``ref`` is its key."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="entries")
    label = models.CharField(_("公示名称"), max_length=100)
    ref = models.CharField(_("编号"), max_length=64)
    tier = models.PositiveSmallIntegerField(_("优先级"), default=0)
    weight = models.PositiveSmallIntegerField(_("权重"), default=1)
    position = models.PositiveIntegerField(_("顺位"), null=True, blank=True)
    won = models.BooleanField(_("中签"), default=False)
    created_at = models.DateTimeField(_("报名时间"))

    scope = Scope(unit="draw__unit", perm="lottery.view_draw")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("抽签报名")
        verbose_name_plural = _("抽签报名")
        ordering = ["draw_id", "position", "ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "ref"],
                name="lottery_entry_ref_unique",
                violation_error_message=_("同一编号已报名"),
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1) & models.Q(weight__lte=10),
                name="lottery_entry_weight_range",
                violation_error_message=_("权重须在1到10之间"),
            ),
        ]

    def __str__(self):
        return f"{self.label} ({self.ref})"
