from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class CoreConfig(AppConfig):
    name = "linli.core"
    label = "core"
    verbose_name = _("平台")
    console_nav = [
        NavItem(_("审计日志"), "console:core:audit", "core.view_audit", 91),
    ]
    resident_nav = [
        NavItem(_("消息"), "m:core:notifications", None, 90),
        NavItem(_("设置"), "m:core:settings", None, 99),
    ]

    def ready(self):
        from linli.core import roles

        roles.load_app_permissions()
