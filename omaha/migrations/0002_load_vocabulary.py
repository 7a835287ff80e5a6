"""Load the Omaha System vocabulary shipped in omaha/data/ (idempotent; see omaha.vocabulary).

Every database (the test database, SQLite for `make run`, production) gets the full vocabulary
by migrating. `manage.py load_omaha` reruns the same loader after a data correction.
"""

from django.db import migrations


def load(apps, schema_editor):
    from omaha.vocabulary import load_vocabulary

    load_vocabulary(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("omaha", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
