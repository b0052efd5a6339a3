from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    CITY = "city", _("市")
    DISTRICT = "district", _("区")
    STREET = "street", _("街道/镇")
    COMMUNITY = "community", _("社区")
    GRID = "grid", _("网格")


# Which kind of unit may sit under which.
CHILD_KINDS = {
    UnitKind.CITY: {UnitKind.DISTRICT},
    UnitKind.DISTRICT: {UnitKind.STREET},
    UnitKind.STREET: {UnitKind.COMMUNITY},
    UnitKind.COMMUNITY: {UnitKind.GRID},
    UnitKind.GRID: set(),
}


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")
    UNKNOWN = "U", _("未知")


class Relation(models.TextChoices):
    OWNER = "owner", _("业主")
    CO_OWNER = "co_owner", _("共有人")
    FAMILY = "family", _("家庭成员")
    TENANT = "tenant", _("租户")


OWNING_RELATIONS = (Relation.OWNER, Relation.CO_OWNER)


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("在册")
    MOVED_OUT = "moved_out", _("已迁出")
    DECEASED = "deceased", _("已故")


class OrganisationKind(models.TextChoices):
    SOCIAL = "social", _("社区社会组织")
    PROPERTY = "property", _("物业公司")
    OWNERS_COMMITTEE = "owners_committee", _("业主委员会")
    LOCAL_UNIT = "local_unit", _("辖区单位")
    POLICE = "police", _("派出所/警务室")
    OTHER = "other", _("其他")


# Labels every deployment starts with (also created by migration org 0002); admins add more.
DEFAULT_TAGS = [
    ("elder_alone", _("独居老人"), True),
    ("empty_nest", _("空巢老人"), True),
    ("very_old", _("高龄老人"), True),
    ("disabled", _("残疾人"), True),
    ("low_income", _("低保/特困"), True),
    ("left_behind_child", _("留守儿童"), True),
    ("party_member", _("党员"), False),
    ("volunteer", _("志愿者"), False),
]
