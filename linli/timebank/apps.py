from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class TimebankConfig(AppConfig):
    name = "linli.timebank"
    label = "timebank"
    verbose_name = _("时间银行")
    console_nav = [NavItem(_("时间银行"), "console:timebank:home", "timebank.view_service", 60)]
    resident_nav = [NavItem(_("时间银行"), "m:timebank:home", None, 60)]
