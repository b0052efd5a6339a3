from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "sharing.view_resource": _("查看共享资源"),
    "sharing.view_booking": _("查看预约"),
    "sharing.manage": _("发布与管理共享资源"),
    "sharing.approve": _("审批预约与签到"),
    "sharing.book_for_org": _("以社区或组织名义预约"),
}

ROLE_PERMISSIONS = {
    "resident": {"sharing.view_resource"},
    "grid_worker": {"sharing.view_resource"},
    "community_staff": set(PERMISSIONS),
    "street_admin": set(PERMISSIONS),
    "district_admin": {"sharing.view_resource", "sharing.view_booking"},
    "org_manager": {"sharing.view_resource", "sharing.book_for_org"},
}
