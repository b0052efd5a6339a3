"""The role registry: which roles exist, where they may be granted, and what they allow.

A role is granted to a user on a target — an org unit (reaching everything below it), an estate
(property companies) or an organisation (social-organisation managers). What a role allows is a
set of permission strings ``<app>.<action>``; each app adds its own in ``permissions.py``:

    PERMISSIONS = {"points.award": _("发放积分"), ...}
    ROLE_PERMISSIONS = {"grid_worker": {"points.award"}, ...}

Scoping (which objects) is decided by :mod:`linli.core.scoping`; this module only says what.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

UNIT = "unit"
ESTATE = "estate"
ORGANISATION = "organisation"


@dataclass
class Role:
    code: str
    label: str
    target: str
    unit_kinds: tuple[str, ...]
    rank: int
    staff: bool
    perms: set[str] = field(default_factory=set)


ROLES: dict[str, Role] = {}
PERMISSIONS: dict[str, str] = {}


def _role(code, label, target, unit_kinds, rank, staff, perms):
    ROLES[code] = Role(code, label, target, tuple(unit_kinds), rank, staff, set(perms))


_VIEW_PEOPLE = {
    "org.view_orgunit",
    "org.view_estate",
    "org.view_household",
    "org.view_person",
    "org.view_organisation",
    "org.export",
}
_MANAGE_PEOPLE = _VIEW_PEOPLE | {"org.change_person", "org.import_roster"}
_ADMIN = _MANAGE_PEOPLE | {
    "org.unmask_pii",
    "org.manage_units",
    "org.change_organisation",
    "accounts.view_user",
    "accounts.manage_grants",
    "core.view_audit",
}

_role("resident", _("居民"), UNIT, ["community"], 0, False, {"org.view_orgunit"})
_role("grid_worker", _("网格员"), UNIT, ["grid"], 1, True, _VIEW_PEOPLE | {"org.change_person"})
_role("grid_secretary", _("网格党支部书记"), UNIT, ["grid"], 2, True, _MANAGE_PEOPLE)
_role(
    "org_manager",
    _("社会组织负责人"),
    ORGANISATION,
    ["community", "street"],
    1,
    True,
    {"org.view_orgunit", "org.view_organisation", "org.change_organisation"},
)
_role(
    "property_manager",
    _("物业经理"),
    ESTATE,
    ["community"],
    1,
    True,
    {"org.view_orgunit", "org.view_estate", "org.view_household"},
)
_role(
    "security_operator",
    _("安防值班员"),
    UNIT,
    ["community"],
    2,
    True,
    {"org.view_orgunit", "org.view_estate"},
)
_role("community_staff", _("社区工作人员"), UNIT, ["community"], 3, True, _ADMIN)
_role("street_admin", _("街道管理员"), UNIT, ["street"], 4, True, _ADMIN)
_role("district_admin", _("区级管理员"), UNIT, ["district", "city"], 5, True, _ADMIN)

PERMISSIONS.update(
    {
        "org.view_orgunit": _("查看组织架构"),
        "org.view_estate": _("查看小区与楼栋"),
        "org.view_household": _("查看房屋"),
        "org.view_person": _("查看居民"),
        "org.view_organisation": _("查看组织"),
        "org.change_person": _("登记与修改居民"),
        "org.import_roster": _("导入花名册"),
        "org.export": _("导出名单"),
        "org.unmask_pii": _("查看完整身份证号与手机号"),
        "org.manage_units": _("维护组织架构与房屋"),
        "org.change_organisation": _("维护组织信息"),
        "accounts.view_user": _("查看账号"),
        "accounts.manage_grants": _("授予与收回角色"),
        "core.view_audit": _("查看审计日志"),
    }
)


def load_app_permissions():
    """Merge every app's ``permissions.py`` into the registry (idempotent)."""
    from linli.core.registry import app_module, linli_apps

    for config in linli_apps():
        module = app_module(config, "permissions")
        if module is None:
            continue
        PERMISSIONS.update(getattr(module, "PERMISSIONS", {}))
        for code, perms in getattr(module, "ROLE_PERMISSIONS", {}).items():
            ROLES[code].perms |= set(perms)


def role_choices():
    return [(r.code, r.label) for r in sorted(ROLES.values(), key=lambda r: r.rank)]
