from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from linli.core.idcard import mask_phone
from linli.core.scoping import Scope, ScopedQuerySet
from linli.org.choices import (
    Gender,
    OrganisationKind,
    PersonStatus,
    Relation,
    UnitKind,
)

_code = dict(
    max_length=64,
    unique=True,
    help_text=_("用于链接与对接的唯一编码，字母、数字、连字符"),
)


class OrgUnitQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    pass


class OrgUnitManager(MP_NodeManager.from_queryset(OrgUnitQuerySet)):
    def get_queryset(self):
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")


class OrgUnit(MP_Node):
    """市 → 区 → 街道/镇 → 社区 → 网格, as a materialised-path tree (``path`` prefixes scope)."""

    kind = models.CharField(_("层级"), max_length=16, choices=UnitKind.choices)
    code = models.SlugField(_("编码"), **_code)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=32, blank=True)

    scope = Scope(unit=Scope.SELF)
    objects = OrgUnitManager()

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")

    def __str__(self):
        return self.name

    @property
    def full_name(self):
        return "".join(a.name for a in OrgUnit.objects.get_ancestors(self)[1:]) + self.name


class Organisation(models.Model):
    """A body that takes part in governance: social organisation, property company, unit…"""

    kind = models.CharField(_("类型"), max_length=32, choices=OrganisationKind.choices)
    code = models.SlugField(_("编码"), **_code)
    name = models.CharField(_("名称"), max_length=150)
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("所属单位")
    )
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="unit", organisation="id")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A label on a person (独居老人, 残疾人, 党员, 志愿者…); configurable by admins."""

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=32, unique=True)
    is_care_group = models.BooleanField(_("重点关爱人群"), default=False)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Estate(models.Model):
    """小区."""

    community = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="estates",
        verbose_name=_("社区"),
        limit_choices_to={"kind": UnitKind.COMMUNITY},
    )
    code = models.SlugField(_("编码"), **_code)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    built_year = models.PositiveSmallIntegerField(_("建成年份"), null=True, blank=True)
    property_company = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="estates",
        verbose_name=_("物业公司"),
        limit_choices_to={"kind": OrganisationKind.PROPERTY},
    )

    scope = Scope(unit="community", estate="id", reach_up=True)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("小区")
        verbose_name_plural = _("小区")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Building(models.Model):
    """楼栋; belongs to one estate and to exactly one grid."""

    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, related_name="buildings", verbose_name=_("小区")
    )
    grid = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("网格"),
        limit_choices_to={"kind": UnitKind.GRID},
    )
    code = models.SlugField(_("编码"), **_code)
    name = models.CharField(_("楼栋"), max_length=50)
    floors = models.PositiveSmallIntegerField(_("层数"), null=True, blank=True)
    lat = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    scope = Scope(unit="grid", estate="estate", perm="org.view_estate")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["estate", "name"],
                name="building_name_unique_in_estate",
                violation_error_message=_("同一小区内楼栋名称不能重复"),
            )
        ]

    def __str__(self):
        return f"{self.estate.name}{self.name}"


class Stairwell(models.Model):
    """单元 (an entrance and its staircase); the scope of e.g. a vote on adding a lift."""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="stairwells", verbose_name=_("楼栋")
    )
    name = models.CharField(_("单元"), max_length=20)

    scope = Scope(unit="building__grid", estate="building__estate", perm="org.view_estate")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("单元")
        verbose_name_plural = _("单元")
        ordering = ["building_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "name"],
                name="stairwell_unique_in_building",
                violation_error_message=_("同一楼栋内单元名称不能重复"),
            )
        ]

    def __str__(self):
        return f"{self.building}{self.name}"


class Household(models.Model):
    """户: one dwelling, with its exclusive area from the housing register."""

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="households", verbose_name=_("楼栋")
    )
    stairwell = models.ForeignKey(
        Stairwell,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("单元"),
    )
    room = models.CharField(_("房号"), max_length=20)
    area = models.DecimalField(
        _("专有部分面积(㎡)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    certificate_no = models.CharField(_("不动产权证号"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(unit="building__grid", estate="building__estate", household="id")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        ordering = ["building_id", "stairwell_id", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "stairwell", "room"],
                name="household_unique_room",
                nulls_distinct=False,
                violation_error_message=_("该房号已登记"),
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__gt=0),
                name="household_area_positive",
                violation_error_message=_("面积必须大于0"),
            ),
        ]

    def __str__(self):
        unit = self.stairwell.name if self.stairwell_id else ""
        return f"{self.building}{unit}{self.room}"


class Person(models.Model):
    """A resident in the register. The ID number is held encrypted; see ``linli.core.pii``."""

    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    gender = models.CharField(
        _("性别"), max_length=1, choices=Gender.choices, default=Gender.UNKNOWN
    )
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    id_cipher = models.TextField(_("身份证号(密文)"), blank=True, editable=False)
    id_index = models.CharField(max_length=64, blank=True, editable=False)
    id_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, db_index=True)
    household = models.ForeignKey(
        Household,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
        verbose_name=_("现居房屋"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="people", verbose_name=_("标签"))
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope = Scope(
        unit="household__building__grid", estate="household__building__estate", person="id"
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("居民")
        verbose_name_plural = _("居民")
        ordering = ["household_id", "id"]
        indexes = [models.Index(fields=["household", "id"], name="person_household_order_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_index"],
                condition=~Q(id_index=""),
                name="person_id_number_unique",
                violation_error_message=_("该身份证号已登记"),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def phone_masked(self):
        return mask_phone(self.phone)

    def age_on(self, day):
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class HouseholdMember(models.Model):
    """A person's tie to a household, with its history (who lived where, when).

    A person may own several households but lives in one (``Person.household``). Closing a tie
    sets ``until``; nothing is deleted.
    """

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="members", verbose_name=_("房屋")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("居民")
    )
    relation = models.CharField(_("关系"), max_length=16, choices=Relation.choices)
    since = models.DateField(
        _("起"),
    )
    until = models.DateField(_("止"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    scope = Scope(
        unit="household__building__grid",
        estate="household__building__estate",
        person="person",
        household="household",
        perm="org.view_household",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("住户关系")
        verbose_name_plural = _("住户关系")
        ordering = ["-since", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person"],
                condition=Q(until__isnull=True),
                name="member_one_open_tie",
                violation_error_message=_("此人已在该户登记"),
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
                name="member_until_after_since",
                violation_error_message=_("结束日期不能早于开始日期"),
            ),
        ]

    def __str__(self):
        return f"{self.person} · {self.household} · {self.get_relation_display()}"


class ImportJob(models.Model):
    """One roster upload: validated into a preview first, committed all-or-nothing later."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("校验中")
        INVALID = "invalid", _("有错误")
        READY = "ready", _("可导入")
        COMMITTING = "committing", _("导入中")
        DONE = "done", _("已导入")
        FAILED = "failed", _("导入失败")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("上传人"),
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    file = models.FileField(upload_to="private/roster/%Y/%m/")
    filename = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.VALIDATING
    )
    total_rows = models.PositiveIntegerField(_("行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    warning_count = models.PositiveIntegerField(_("提示"), default=0)
    problems = models.JSONField(default=list, blank=True)
    created_households = models.PositiveIntegerField(default=0)
    created_people = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(unit="unit", user="created_by", perm="org.import_roster")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("花名册导入")
        verbose_name_plural = _("花名册导入")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename
