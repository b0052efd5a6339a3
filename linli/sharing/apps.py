from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class SharingConfig(AppConfig):
    name = "linli.sharing"
    label = "sharing"
    verbose_name = _("资源共享")
    console_nav = [NavItem(_("资源共享"), "console:sharing:home", "sharing.view_booking", 80)]
    resident_nav = [NavItem(_("共享资源"), "m:sharing:browse", None, 80)]
