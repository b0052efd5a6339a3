from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PLANNING = "planning", _("规划征询")
    VOTING = "voting", _("业主表决")
    WORKS = "works", _("施工监督")
    ACCEPTANCE = "acceptance", _("竣工验收")
    DONE = "done", _("已完成")


class ItemClass(models.TextChoices):
    BASIC = "basic", _("基础类")
    IMPROVE = "improve", _("完善类")
    UPGRADE = "upgrade", _("提升类")


class Funding(models.TextChoices):
    GOVERNMENT = "government", _("政府投入")
    FUND = "fund", _("维修资金")
    RESIDENTS = "residents", _("居民出资")
    UNITS = "units", _("单位出资")


class Matter(models.IntegerChoices):
    """民法典第二百七十八条 items 1–9."""

    RULES = 1, _("制定和修改业主大会议事规则")
    STATUTE = 2, _("制定和修改管理规约")
    COMMITTEE = 3, _("选举业主委员会或者更换业主委员会成员")
    PROPERTY = 4, _("选聘和解聘物业服务企业或者其他管理人")
    USE_FUND = 5, _("使用建筑物及其附属设施的维修资金")
    RAISE_FUND = 6, _("筹集建筑物及其附属设施的维修资金")
    REBUILD = 7, _("改建、重建建筑物及其附属设施")
    CHANGE_USE = 8, _("改变共有部分的用途或者利用共有部分从事经营活动")
    OTHER = 9, _("有关共有和共同管理权利的其他重大事项")


# Items 6–8 need three quarters of the participating area and owners (DOMAIN.md §1).
SUPERMAJORITY = {Matter.RAISE_FUND, Matter.REBUILD, Matter.CHANGE_USE}
RULE_VERSION = "civil-code-278/2021"


class VoteState(models.TextChoices):
    DRAFT = "draft", _("准备中")
    OPEN = "open", _("表决中")
    CLOSED = "closed", _("已截止")
    PUBLISHED = "published", _("结果公示")


class Choice(models.TextChoices):
    FOR = "for", _("同意")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class Channel(models.TextChoices):
    ONLINE = "online", _("线上")
    PAPER = "paper", _("纸质")
    DOOR = "door", _("上门")
    PROXY = "proxy", _("委托")
