from django.urls import path

from buurtzorg.audit import account_views, views

app_name = "audit"

urlpatterns = [
    path("", views.access_log_page, name="log"),
    path("clients/<uuid:client_public_id>/", views.client_report_page, name="client-report"),
    path(
        "clients/<uuid:client_public_id>/access.csv",
        views.client_report_csv,
        name="client-report-csv",
    ),
    path(
        "clients/<uuid:client_public_id>/access.pdf",
        views.client_report_pdf,
        name="client-report-pdf",
    ),
]

urlpatterns += [
    path("account/two-factor/", account_views.otp_setup_page, name="otp-setup"),
    path("account/two-factor/verify/", account_views.otp_verify_page, name="otp-verify"),
    path(
        "account/password/",
        account_views.PasswordChangePage.as_view(),
        name="password-change",
    ),
    path(
        "account/password/done/",
        account_views.PasswordChangeDonePage.as_view(),
        name="password-change-done",
    ),
]
