from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class SecurityConfig(AppConfig):
    name = "linli.security"
    label = "security"
    verbose_name = _("智慧安防")
    console_nav = [
        NavItem(_("安防告警"), "console:security:alarms", "security.view_alarm", 40),
        NavItem(_("安防设备"), "console:security:devices", "security.view_device", 41),
        NavItem(_("今日访客"), "console:security:visitors", "security.view_visitorpass", 42),
        NavItem(_("门禁凭证"), "console:security:credentials", "security.manage_credential", 43),
    ]
    resident_nav = [NavItem(_("访客与门禁"), "m:security:home", None, 40)]
