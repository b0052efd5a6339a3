from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class SocialorgsConfig(AppConfig):
    name = "linli.socialorgs"
    label = "socialorgs"
    verbose_name = _("社区社会组织")
    console_nav = [NavItem(_("社会组织"), "console:socialorgs:home", "socialorgs.view_profile", 45)]
    resident_nav = [NavItem(_("社区活动"), "m:socialorgs:activities", None, 45)]
