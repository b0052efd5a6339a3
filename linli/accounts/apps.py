from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from linli.core.registry import NavItem


class AccountsConfig(AppConfig):
    name = "linli.accounts"
    label = "accounts"
    verbose_name = _("账号与角色")
    console_nav = [
        NavItem(_("账号与角色"), "console:accounts:users", "accounts.view_user", 90),
    ]
