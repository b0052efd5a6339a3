"""A draw anyone can verify: commit to a secret seed (publish its hash) before entries close,
mix in a public value fixed at closing, reveal the seed at the draw. The order is a documented
function of the published data (``linli.lottery.algorithm``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DrawState(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("已截止")
    DRAWN = "drawn", _("已开奖")


class Draw(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("名称"), max_length=100)
    slots = models.PositiveIntegerField(_("名额"))
    source = models.CharField(max_length=80, blank=True)
    algorithm = models.PositiveSmallIntegerField(default=1)
    seed_hash = models.CharField(_("种子哈希"), max_length=64)
    seed = models.CharField(max_length=64)
    revealed = models.BooleanField(default=False)
    public_value = models.CharField(_("公开随机值"), max_length=100, blank=True)
    state = models.CharField(max_length=8, choices=DrawState.choices, default=DrawState.OPEN)
    result = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.title


class Entry(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="entries")
    ref = models.CharField(max_length=80)
    label = models.CharField(_("公示名称"), max_length=60)
    tier = models.PositiveSmallIntegerField(_("优先级"), default=0)
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["tier", "ref"]
        constraints = [
            models.UniqueConstraint(
                fields=["draw", "ref"],
                name="lottery_entry_once",
                violation_error_message=_("已经报名"),
            ),
            models.CheckConstraint(condition=models.Q(weight__gte=1), name="lottery_entry_weight"),
        ]

    def __str__(self):
        return self.label
