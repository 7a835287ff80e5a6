from django.urls import path

from buurtzorg.audit import account_views, password_views, views

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

# Self-service password reset (signed out) and the administrators' unlock page.
urlpatterns += [
    path(
        "account/password/reset/",
        password_views.PasswordResetPage.as_view(),
        name="password-reset",
    ),
    path(
        "account/password/reset/sent/",
        password_views.PasswordResetDonePage.as_view(),
        name="password-reset-done",
    ),
    path(
        "account/password/reset/<uidb64>/<token>/",
        password_views.PasswordResetConfirmPage.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "account/password/reset/complete/",
        password_views.PasswordResetCompletePage.as_view(),
        name="password-reset-complete",
    ),
    path("lockouts/", password_views.lockout_list_page, name="lockout-list"),
    path(
        "lockouts/<int:attempt_id>/unlock/",
        password_views.lockout_lift_page,
        name="lockout-lift",
    ),
]
