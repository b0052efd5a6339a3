from django.db import models
from django.utils.translation import gettext_lazy as _


class SeatCategory(models.TextChoices):
    RESIDENT = "resident", _("居民代表")
    OWNERS = "owners", _("业委会")
    PROPERTY = "property", _("物业公司")
    POLICE = "police", _("社区民警")
    UNIT = "unit", _("辖区单位")
    OTHER = "other", _("其他")


class SeatRole(models.TextChoices):
    CHAIR = "chair", _("主持人")
    SECRETARY = "secretary", _("记录员")
    MEMBER = "member", _("成员")


class TopicSource(models.TextChoices):
    RESIDENT = "resident", _("居民提出")
    STAFF = "staff", _("工作人员提出")
    GRID = "grid", _("网格事件")


class TopicStatus(models.TextChoices):
    PROPOSED = "proposed", _("征集联署")
    ELIGIBLE = "eligible", _("可列入议程")
    ACCEPTED = "accepted", _("已受理")
    MERGED = "merged", _("已合并")
    DECLINED = "declined", _("不予受理")
    DECIDED = "decided", _("已形成决议")


class Majority(models.TextChoices):
    SIMPLE = "simple", _("过半数")
    TWO_THIRDS = "two_thirds", _("三分之二")


class VoteChoice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class ResolutionStatus(models.TextChoices):
    DRAFT = "draft", _("待表决")
    PASSED = "passed", _("通过")
    REJECTED = "rejected", _("未通过")
    PUBLISHED = "published", _("公示中")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    DONE = "done", _("已完成")


class ParkingStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("报名截止")
    PUBLISHED = "published", _("结果公示")
