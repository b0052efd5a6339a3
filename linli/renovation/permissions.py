from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "renovation.view_project": _("查看微改造项目"),
    "renovation.view_vote": _("查看表决"),
    "renovation.manage": _("管理微改造项目与表决"),
    "renovation.enter_ballot": _("录入纸质/上门/委托表决票"),
}

_ALL = set(PERMISSIONS)

ROLE_PERMISSIONS = {
    "resident": {"renovation.view_project", "renovation.view_vote"},
    "grid_worker": {"renovation.view_project", "renovation.view_vote", "renovation.enter_ballot"},
    "grid_secretary": {"renovation.view_project", "renovation.view_vote"},
    "community_staff": _ALL,
    "street_admin": _ALL,
    "district_admin": {"renovation.view_project", "renovation.view_vote"},
    "property_manager": {"renovation.view_project", "renovation.view_vote"},
}
