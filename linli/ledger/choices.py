from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    POINTS = "points", _("积分")
    MINUTES = "minutes", _("时间(分钟)")


class HoldState(models.TextChoices):
    PENDING = "pending", _("冻结中")
    POSTED = "posted", _("已入账")
    VOIDED = "voided", _("已撤销")
    EXPIRED = "expired", _("已过期")
