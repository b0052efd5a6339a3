from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    VOLUNTEER = "volunteer", _("志愿服务")
    GARBAGE = "garbage", _("垃圾分类")
    MUTUAL_HELP = "mutual_help", _("邻里互助")
    SUGGESTION = "suggestion", _("建言献策")
    COUNCIL = "council", _("议事参与")
    OTHER = "other", _("其他")


class Per(models.TextChoices):
    HOUR = "hour", _("每小时")
    KG = "kg", _("每公斤")
    TIME = "time", _("每次")


class Source(models.TextChoices):
    ACTIVITY = "activity", _("活动签到")
    STAFF = "staff", _("工作人员奖励")
    CLAIM = "claim", _("居民申报")
    MODULE = "module", _("其他模块")


class AwardState(models.TextChoices):
    PENDING = "pending", _("待审核")
    GRANTED = "granted", _("已发放")
    REJECTED = "rejected", _("未通过")


class ItemKind(models.TextChoices):
    GOODS = "goods", _("实物")
    FEE_VOUCHER = "fee_voucher", _("物业费抵用券")
    PRIORITY = "priority", _("优先权益")


class RedemptionState(models.TextChoices):
    PENDING = "pending", _("待领取")
    FULFILLED = "fulfilled", _("已核销")
    CANCELLED = "cancelled", _("已取消")


class Expiry(models.TextChoices):
    NEVER = "never", _("永不过期")
    END_OF_NEXT_YEAR = "next_year_end", _("次年年底清零")


def _rule(name, category, points, per, daily, claimable=False):
    return {
        "name": name,
        "category": category,
        "points": points,
        "per": per,
        "daily_limit": daily,
        "claimable": claimable,
        "needs_evidence": claimable,
        "needs_approval": claimable,
    }


# Platform defaults, one per code other modules award through. Names are stored data (shown as
# entered, like any rule a community writes), hence plain Chinese strings.
DEFAULT_RULES = {
    "volunteer": _rule("志愿服务", Category.VOLUNTEER, 10, Per.HOUR, 40),
    "garbage_sorting": _rule("垃圾分类投放", Category.GARBAGE, 1, Per.TIME, 2),
    "mutual_help": _rule("邻里互助", Category.MUTUAL_HELP, 5, Per.TIME, 10, claimable=True),
    "suggestion": _rule("建言献策被采纳", Category.SUGGESTION, 20, Per.TIME, 20, claimable=True),
    "council": _rule("参与议事", Category.COUNCIL, 5, Per.TIME, 10),
    "socialorgs_activity": _rule("参加社会组织活动", Category.VOLUNTEER, 5, Per.TIME, 10),
    "timebank_service": _rule("时间银行服务", Category.VOLUNTEER, 5, Per.HOUR, 40),
}
