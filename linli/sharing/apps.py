from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class SharingConfig(AppConfig):
    name = "linli.sharing"
    label = "sharing"
    verbose_name = _("资源共享")
    console_nav = [
        NavItem(_("资源共享"), "console:sharing:home", "sharing.approve_booking", 60),
        NavItem(_("共享互惠"), "console:sharing:reciprocity", "sharing.view_report", 61),
    ]
    resident_nav = [NavItem(_("预约资源"), "m:sharing:home", None, 60)]
