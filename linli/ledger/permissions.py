from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "ledger.view_account": _("查看账户与流水"),
}

ROLE_PERMISSIONS = {
    "grid_worker": {"ledger.view_account"},
    "grid_secretary": {"ledger.view_account"},
    "community_staff": {"ledger.view_account"},
    "street_admin": {"ledger.view_account"},
    "district_admin": {"ledger.view_account"},
    "org_manager": {"ledger.view_account"},
}
