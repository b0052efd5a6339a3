from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "sharing.book": _("预约共享资源"),
    "sharing.view_resource": _("查看共享资源管理"),
    "sharing.manage_resource": _("发布与维护共享资源"),
    "sharing.view_booking": _("查看预约"),
    "sharing.approve_booking": _("审批预约与签到"),
    "sharing.view_report": _("查看共享报表"),
}

_OWNER = {
    "sharing.book",
    "sharing.view_resource",
    "sharing.manage_resource",
    "sharing.view_booking",
    "sharing.approve_booking",
    "sharing.view_report",
}

ROLE_PERMISSIONS = {
    "resident": {"sharing.book"},
    "community_staff": _OWNER,
    "street_admin": _OWNER,
    "district_admin": {"sharing.view_resource", "sharing.view_booking", "sharing.view_report"},
    "org_manager": _OWNER - {"sharing.view_report"},
}
