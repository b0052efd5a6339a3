from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class OrgConfig(AppConfig):
    name = "linli.org"
    label = "org"
    verbose_name = _("组织与人口")
    console_nav = [
        NavItem(_("组织架构"), "console:org:units", "org.view_orgunit", 10),
        NavItem(_("小区房屋"), "console:org:estates", "org.view_estate", 11),
        NavItem(_("居民"), "console:org:people", "org.view_person", 12),
        NavItem(_("花名册导入"), "console:org:roster", "org.import_roster", 13),
    ]
    resident_nav = [NavItem(_("我的房屋"), "m:org:household", None, 10)]
