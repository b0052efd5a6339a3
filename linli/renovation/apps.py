from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class RenovationConfig(AppConfig):
    name = "linli.renovation"
    label = "renovation"
    verbose_name = _("老旧小区微改造")
    console_nav = [NavItem(_("微改造"), "console:renovation:home", "renovation.view_project", 50)]
    resident_nav = [NavItem(_("小区改造"), "m:renovation:home", None, 50)]
