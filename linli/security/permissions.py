from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "security.view_device": _("查看安防设备"),
    "security.manage_device": _("维护安防设备"),
    "security.view_alarm": _("查看告警"),
    "security.handle_alarm": _("处置告警"),
    "security.view_visitorpass": _("查看访客"),
    "security.view_credential": _("查看门禁凭证"),
    "security.manage_credential": _("登记门禁凭证"),
}
_OPERATE = {
    "security.view_device",
    "security.view_alarm",
    "security.handle_alarm",
    "security.view_visitorpass",
    "security.view_credential",
}
_ADMIN = _OPERATE | {"security.manage_device", "security.manage_credential"}
ROLE_PERMISSIONS = {
    "security_operator": _OPERATE,
    "community_staff": _ADMIN,
    "street_admin": _ADMIN,
    # The district watches the dashboards; handling is for the community and the street.
    "district_admin": {"security.view_device", "security.view_alarm"},
}
