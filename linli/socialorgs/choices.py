from django.db import models
from django.utils.translation import gettext_lazy as _


class Field(models.TextChoices):
    ELDERLY = "elderly", _("养老服务")
    YOUTH = "youth", _("青少年教育")
    CULTURE = "culture", _("文化体育")
    VOLUNTEER = "volunteer", _("志愿服务")
    CHARITY = "charity", _("公益慈善")
    SOCIAL_WORK = "social_work", _("专业社工")
    OTHER = "other", _("其他")


class Legal(models.TextChoices):
    REGISTERED = "registered", _("民政登记")
    FILED = "filed", _("街道备案")
    INCUBATING = "incubating", _("孵化中")


class AppState(models.TextChoices):
    SUBMITTED = "submitted", _("待社区审核")
    COMMUNITY_OK = "community_ok", _("待街道审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")


class SignupState(models.TextChoices):
    CONFIRMED = "confirmed", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")
    ATTENDED = "attended", _("已签到")


class Audience(models.TextChoices):
    ALL = "all", _("所有居民")
    ELDERS = "elders", _("老年人")
    YOUTH = "youth", _("青少年")


CHECKLIST = [
    ("charter", "章程"),
    ("members", "成员名单(10人以上)"),
    ("leader", "负责人身份证明"),
    ("venue", "活动场所证明"),
    ("plan", "年度活动计划"),
]
