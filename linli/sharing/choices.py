from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    VENUE = "venue", _("场地/活动室")
    SPORTS = "sports", _("体育设施")
    PLACES = "places", _("托育/课程名额")
    TEAM = "team", _("专业团队服务")
    EQUIPMENT = "equipment", _("设备借用")


class Reach(models.TextChoices):
    COMMUNITY = "community", _("本社区")
    STREET = "street", _("本街道/镇")
    DISTRICT = "district", _("本区")


class Status(models.TextChoices):
    PENDING = "pending", _("待审批")
    CONFIRMED = "confirmed", _("已确认")
    CHECKED_IN = "checked_in", _("已签到")
    NO_SHOW = "no_show", _("未到场")
    REJECTED = "rejected", _("未通过")
    CANCELLED = "cancelled", _("已取消")


ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.CHECKED_IN)
# Hours that count as given/received between communities.
USED = (Status.CONFIRMED, Status.CHECKED_IN, Status.NO_SHOW)
