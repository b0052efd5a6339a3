from django.db import models
from django.utils.translation import gettext_lazy as _


class VolunteerKind(models.TextChoices):
    INDIVIDUAL = "individual", _("个人")
    GROUP = "group", _("团体")


class VolunteerStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    ACTIVE = "active", _("已认证")
    SUSPENDED = "suspended", _("已暂停")
    REJECTED = "rejected", _("未通过")


class Channel(models.TextChoices):
    ELDER = "elder", _("老人本人")
    FAMILY = "family", _("家属")
    GRID = "grid", _("网格员代办")
    STAFF = "staff", _("工作人员")


class ServiceState(models.TextChoices):
    OPEN = "open", _("待接单")
    ACCEPTED = "accepted", _("已接单")
    IN_SERVICE = "in_service", _("服务中")
    AWAITING_ELDER = "awaiting_elder", _("待老人确认")
    AWAITING_REVIEW = "awaiting_review", _("待审核")
    CONFIRMED = "confirmed", _("已确认入账")
    DISPUTED = "disputed", _("有争议")
    CANCELLED = "cancelled", _("已取消")


OPEN_STATES = (
    ServiceState.OPEN,
    ServiceState.ACCEPTED,
    ServiceState.IN_SERVICE,
    ServiceState.AWAITING_ELDER,
    ServiceState.AWAITING_REVIEW,
    ServiceState.DISPUTED,
)


class GiftState(models.TextChoices):
    PENDING = "pending", _("待审核")
    DONE = "done", _("已转赠")
    REFUSED = "refused", _("未通过")


class FlagKind(models.TextChoices):
    PAIR = "pair", _("同一志愿者与老人频繁确认")
    RELATIVE_REVIEW = "relative_review", _("审核人审核亲属的服务")
    CIRCULAR_GIFT = "circular_gift", _("循环转赠")


# Default catalogue: (code, name, coins per hour). Names are stored data, editable by staff.
DEFAULT_CATEGORIES = [
    ("home_care", "上门照料", "1.0"),
    ("rehab", "康复护理", "1.5"),
    ("companion", "文化陪伴", "1.0"),
    ("meals", "助餐助洁", "1.0"),
    ("errands", "代购代办", "1.0"),
    ("escort", "出行陪同", "1.2"),
]
