from django.urls import path

from linli.points import views

console_urls = [
    path("", views.home, name="home"),
    path("rules/", views.rules, name="rules"),
    path("rules/policy/", views.policy, name="policy"),
    path("activities/", views.activities, name="activities"),
    path("activities/<int:pk>/", views.activity, name="activity"),
    path("approvals/", views.approvals, name="approvals"),
    path("award/", views.award, name="award"),
    path("items/", views.items, name="items"),
    path("fulfil/", views.fulfil, name="fulfil"),
]

resident_urls = [
    path("", views.my_points, name="home"),
    path("checkin/<str:code>/", views.checkin, name="checkin"),
    path("rewards/", views.catalogue, name="catalogue"),
    path("rewards/<int:pk>/redeem/", views.redeem, name="redeem"),
    path("vouchers/", views.vouchers, name="vouchers"),
    path("vouchers/<str:code>/", views.voucher, name="voucher"),
    path("vouchers/<str:code>/cancel/", views.voucher_cancel, name="voucher-cancel"),
    path("ranking/", views.ranking, name="ranking"),
    path("claim/", views.claim, name="claim"),
]
