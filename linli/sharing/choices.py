from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    COMMUNITY = "community", _("本社区")
    STREET = "street", _("本街道")
    DISTRICT = "district", _("本区")


class BookingState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已确认")
    REJECTED = "rejected", _("未通过")
    CANCELLED = "cancelled", _("已取消")
    CHECKED_IN = "checked_in", _("已签到")
    NO_SHOW = "no_show", _("未到场")


HOLDING = (BookingState.PENDING, BookingState.APPROVED, BookingState.CHECKED_IN)

DEFAULT_KINDS = [
    ("venue", "场地/活动室"),
    ("sports", "体育设施"),
    ("places", "托育/课程名额"),
    ("team", "专业团队服务"),
    ("equipment", "设备借用"),
]
