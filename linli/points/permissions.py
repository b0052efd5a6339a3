from django.utils.translation import gettext_lazy as _

PERMISSIONS = {
    "points.view_rule": _("查看积分规则"),
    "points.view_activity": _("查看积分活动"),
    "points.view_award": _("查看居民积分记录"),
    "points.view_item": _("查看兑换商品"),
    "points.view_redemption": _("查看兑换记录"),
    "points.manage_rules": _("维护积分规则与有效期"),
    "points.manage_activities": _("发布积分活动"),
    "points.manage_catalogue": _("维护兑换商品与库存"),
    "points.award": _("为居民奖励积分"),
    "points.approve": _("审核居民积分申报"),
    "points.fulfil": _("核销兑换券"),
}

_SEE = {
    "points.view_rule",
    "points.view_activity",
    "points.view_award",
    "points.view_item",
    "points.view_redemption",
}
_STAFF = _SEE | {
    "points.manage_rules",
    "points.manage_activities",
    "points.manage_catalogue",
    "points.award",
    "points.approve",
    "points.fulfil",
}

ROLE_PERMISSIONS = {
    # What is public within a community: the rules, activities and catalogue. A resident's own
    # awards and redemptions come through the self lookups of those models.
    "resident": {"points.view_rule", "points.view_activity", "points.view_item"},
    "grid_worker": _SEE | {"points.award", "points.manage_activities"},
    "grid_secretary": _SEE | {"points.award", "points.manage_activities", "points.approve"},
    "community_staff": _STAFF,
    "street_admin": _STAFF,
    "district_admin": _SEE,
    "property_manager": {"points.view_item", "points.view_redemption", "points.fulfil"},
    "org_manager": {"points.view_rule", "points.view_activity", "points.manage_activities"},
}
