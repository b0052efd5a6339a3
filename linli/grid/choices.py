from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("紧急")
    URGENT = "urgent", _("急迫")
    GENERAL = "general", _("一般")
    COMPLEX = "complex", _("复杂")


class State(models.TextChoices):
    REPORTED = "reported", _("已上报")
    ACCEPTED = "accepted", _("已立案")
    REJECTED = "rejected", _("不予立案")
    DISPATCHED = "dispatched", _("已派遣")
    HANDLING = "handling", _("处置中")
    FEEDBACK = "feedback", _("已反馈待核查")
    CLOSED = "closed", _("已结案")


OPEN_STATES = (State.REPORTED, State.ACCEPTED, State.DISPATCHED, State.HANDLING, State.FEEDBACK)


class Level(models.TextChoices):
    GRID = "grid", _("网格")
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")


class Source(models.TextChoices):
    RESIDENT = "resident", _("居民上报")
    GRID = "grid", _("网格员巡查")
    STAFF = "staff", _("工作人员登记")
    OPEN311 = "open311", _("第三方应用")
    SYSTEM = "system", _("系统(设备告警)")
    CARE = "care", _("关爱走访")


class Action(models.TextChoices):
    REPORT = "report", _("上报")
    ACCEPT = "accept", _("立案")
    REJECT = "reject", _("不予立案")
    DISPATCH = "dispatch", _("派遣")
    HANDLE = "handle", _("处置")
    FEEDBACK = "feedback", _("反馈")
    CHECK_PASS = "check_pass", _("核查通过")
    CHECK_FAIL = "check_fail", _("核查不通过(返工)")
    CLOSE = "close", _("结案")
    SELF_CLOSE = "self_close", _("现场处置结案")
    RATE = "rate", _("评价")
    EXTEND_ASK = "extend_ask", _("申请延期")
    EXTEND_OK = "extend_ok", _("批准延期")
    EXTEND_NO = "extend_no", _("驳回延期")
    ESCALATE = "escalate", _("升级")
    DUE_SOON = "due_soon", _("即将到期提醒")


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("小时")
    WORKING_HOURS = "working_hours", _("工作小时")
    WORKING_DAYS = "working_days", _("工作日")
    DAYS = "days", _("自然日")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    WORKDAY = "workday", _("调休上班")


class Tier(models.TextChoices):
    HIGH = "high", _("高风险(每周)")
    KEY = "key", _("重点(每月)")
    GENERAL = "general", _("一般(每季度)")


TIER_DAYS = {Tier.HIGH: 7, Tier.KEY: 30, Tier.GENERAL: 91}


class VisitMethod(models.TextChoices):
    IN_PERSON = "in_person", _("上门")
    PHONE = "phone", _("电话")
    DEVICE = "device", _("智能设备核验")


DEFAULT_CATEGORIES = [
    ("policy", "政策宣传"),
    ("mediation", "矛盾调解"),
    ("errand", "服务代办"),
    ("environment", "环境整治"),
    ("safety", "安全隐患"),
    ("repair", "设施维修"),
    ("other", "其他"),
]

DEFAULT_CARE_GROUPS = [
    ("alone", "独居老人"),
    ("empty_nest", "空巢老人"),
    ("aged", "高龄老人"),
    ("disabled", "残疾人"),
    ("low_income", "低保/特困"),
    ("left_behind", "留守儿童"),
]

# (urgency, amount, unit): DOMAIN.md §2 defaults.
DEFAULT_LIMITS = [
    ("emergency", 2, "hours"),
    ("urgent", 24, "hours"),
    ("general", 3, "working_days"),
    ("complex", 7, "days"),
]
