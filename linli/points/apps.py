from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class PointsConfig(AppConfig):
    name = "linli.points"
    label = "points"
    verbose_name = _("积分")
    console_nav = [
        NavItem(_("积分"), "console:points:home", "points.view_award", 30),
        NavItem(_("兑换核销"), "console:points:fulfil", "points.fulfil", 31),
    ]
    resident_nav = [NavItem(_("我的积分"), "m:points:home", None, 30)]
