from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class GridConfig(AppConfig):
    name = "linli.grid"
    label = "grid"
    verbose_name = _("网格治理")
    console_nav = [
        NavItem(_("网格事件"), "console:grid:events", "grid.view_event", 20),
        NavItem(_("关爱对象"), "console:grid:care", "grid.view_carerecord", 21),
        NavItem(_("网格考核"), "console:grid:kpi", "grid.view_event", 22),
        NavItem(_("党支部与网格员"), "console:grid:branches", "grid.view_event", 23),
    ]
    resident_nav = [
        NavItem(_("我要反映"), "m:grid:report", None, 20),
        NavItem(_("我的网格"), "m:grid:mine", None, 21),
    ]
