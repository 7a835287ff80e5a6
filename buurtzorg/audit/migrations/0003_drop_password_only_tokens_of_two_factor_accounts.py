"""Delete API tokens held by accounts with two-factor login.

Until now POST /api/auth/token/ handed those accounts a token on their password alone (the
token was refused on use, but it existed). From now on such a token is issued only with a
current code, and token authentication accepts the tokens of two-factor accounts; the old
ones must not become usable, so they go. The owners ask for a new one with their code.
"""

from django.db import migrations


def forward(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    with_app = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    Token.objects.filter(user_id__in=with_app).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
