from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotteryConfig(AppConfig):
    name = "linli.lottery"
    label = "lottery"
    verbose_name = _("公开抽签")
    default_auto_field = "django.db.models.BigAutoField"
