from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "council.view_council": _("查看议事会"),
    "council.propose": _("提出与联署议题"),
    "council.manage_council": _("管理议事会、会议与决议"),
}

_VIEW = {"council.view_council", "council.propose"}
_MANAGE = _VIEW | {"council.manage_council"}

ROLE_PERMISSIONS = {
    "resident": _VIEW,
    "grid_worker": _VIEW,
    "grid_secretary": _VIEW,
    "community_staff": _MANAGE,
    "street_admin": _MANAGE,
    "district_admin": _MANAGE,
}
