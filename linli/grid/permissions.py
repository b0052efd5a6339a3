from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "grid.view_event": _("查看网格事件"),
    "grid.report": _("登记事件"),
    "grid.handle": _("处置事件"),
    "grid.dispatch": _("立案与派遣"),
    "grid.check": _("核查与结案"),
    "grid.extend": _("审批延期"),
    "grid.view_carerecord": _("查看关爱对象"),
    "grid.manage_care": _("维护关爱对象"),
    "grid.visit": _("登记探访"),
    "grid.manage_calendar": _("维护节假日与时限"),
}

_WORKER = {
    "grid.view_event",
    "grid.report",
    "grid.handle",
    "grid.view_carerecord",
    "grid.visit",
}
_STAFF = _WORKER | {"grid.dispatch", "grid.check", "grid.extend", "grid.manage_care"}

ROLE_PERMISSIONS = {
    "grid_worker": _WORKER,
    "grid_secretary": _WORKER | {"grid.dispatch", "grid.check"},
    "community_staff": _STAFF,
    "street_admin": _STAFF | {"grid.manage_calendar"},
    "district_admin": {"grid.view_event", "grid.view_carerecord", "grid.manage_calendar"},
}
