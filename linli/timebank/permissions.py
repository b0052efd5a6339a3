from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "timebank.view_service": _("查看时间银行服务"),
    "timebank.view_volunteer": _("查看志愿者"),
    "timebank.request": _("为老人提交服务需求"),
    "timebank.verify_volunteer": _("审核志愿者实名"),
    "timebank.review": _("审核服务记录与转赠"),
    "timebank.allocate_pool": _("分配互助池时间"),
    "timebank.manage": _("维护服务类别与规则"),
}

_STAFF = set(PERMISSIONS)

ROLE_PERMISSIONS = {
    "grid_worker": {"timebank.view_service", "timebank.view_volunteer", "timebank.request"},
    "grid_secretary": {"timebank.view_service", "timebank.view_volunteer", "timebank.request"},
    "community_staff": _STAFF,
    "street_admin": _STAFF,
    "district_admin": {"timebank.view_service", "timebank.view_volunteer"},
}
