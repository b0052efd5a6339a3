from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class CouncilConfig(AppConfig):
    name = "linli.council"
    label = "council"
    verbose_name = _("邻里议事会")
    default_auto_field = "django.db.models.BigAutoField"
    console_nav = [NavItem(_("议事会"), "console:council:home", "council.manage_council", 40)]
    resident_nav = [NavItem(_("议事"), "m:council:home", None, 40)]
