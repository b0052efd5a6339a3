from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "lottery.view_draw": _("查看抽签"),
    "lottery.manage_draw": _("组织抽签"),
}

_STAFF = {"lottery.view_draw", "lottery.manage_draw"}

ROLE_PERMISSIONS = {
    "resident": {"lottery.view_draw"},
    "grid_worker": {"lottery.view_draw"},
    "grid_secretary": {"lottery.view_draw"},
    "community_staff": _STAFF,
    "street_admin": _STAFF,
    "district_admin": _STAFF,
}
