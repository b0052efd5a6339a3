from django.db import models
from django.utils.translation import gettext_lazy as _


class DrawStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名截止")
    DRAWN = "drawn", _("已开奖")
