from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "socialorgs.view_profile": _("查看社会组织"),
    "socialorgs.view_activity": _("查看社区活动"),
    "socialorgs.view_purchase": _("查看购买服务项目"),
    "socialorgs.manage_org": _("维护本组织信息与活动"),
    "socialorgs.review": _("审核社会组织与购买服务"),
}

ROLE_PERMISSIONS = {
    "resident": {"socialorgs.view_activity"},
    "grid_worker": {"socialorgs.view_activity", "socialorgs.view_profile"},
    "community_staff": set(PERMISSIONS),
    "street_admin": set(PERMISSIONS),
    "district_admin": {
        "socialorgs.view_profile",
        "socialorgs.view_activity",
        "socialorgs.view_purchase",
    },
    "org_manager": {
        "socialorgs.view_profile",
        "socialorgs.view_activity",
        "socialorgs.view_purchase",
        "socialorgs.manage_org",
    },
}
