"""Dutch names (issue 15): initials, name prefix (tussenvoegsel) and sex on the client.

Existing names move without loss: a leading tussenvoegsel is split out of `last_name` ("de
Jong" -> "de" + "Jong", "van den Berg" -> "van den" + "Berg", see `teams.names`), so the list
order (and its index) puts "de Jong" under J; initials come from the first name ("Jan" ->
"J."); sex starts as "0" (unknown). Reversing puts the prefix back in front of the surname.
"""

import django.core.validators
from django.db import migrations, models

from buurtzorg.migration_ops import PostgresOnlySQL
from teams.names import names_join_existing, names_split_existing


def split_names(apps, schema_editor):  # noqa: ANN001, ANN201
    names_split_existing(apps.get_model("clients", "Client"))


def join_names(apps, schema_editor):  # noqa: ANN001, ANN201
    names_join_existing(apps.get_model("clients", "Client"))


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0003_client_list_indexes'),
        ('teams', '0002_user_language'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='client',
            name='client_bsn_unless_erased',
        ),
        migrations.AddField(
            model_name='client',
            name='initials',
            field=models.CharField(blank=True, max_length=20, validators=[django.core.validators.RegexValidator('^(?:[^\\W\\d_]{1,3}\\.)+$', 'Initials are letters, each followed by a dot, e.g. "J.H." or "Th.".', code='invalid_initials')], verbose_name='initials'),
        ),
        migrations.AddField(
            model_name='client',
            name='name_prefix',
            field=models.CharField(blank=True, max_length=20, validators=[django.core.validators.RegexValidator("^['’]?[^\\W\\d_]+['’]?(?: ['’]?[^\\W\\d_]+['’]?)*$", 'A name prefix (tussenvoegsel) holds only letters, spaces and apostrophes, e.g. "van den" or "\'t".', code='invalid_name_prefix')], verbose_name='name prefix'),
        ),
        migrations.AddField(
            model_name='client',
            name='sex',
            field=models.CharField(choices=[('0', 'Unknown'), ('1', 'Male'), ('2', 'Female'), ('9', 'Not specified')], default='0', max_length=1, verbose_name='sex'),
        ),
        migrations.RunPython(split_names, join_names, elidable=False),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=models.Q(('bsn__isnull', False), models.Q(('first_name', '[erased]'), ('initials', ''), ('last_name', '[erased]'), ('name_prefix', ''), ('sex', '0'), ('status', 'discharged')), _connector='OR'), name='client_bsn_unless_erased', violation_error_message='A client needs a BSN; only an erased record has none.'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=models.Q(('sex__in', ['0', '1', '2', '9'])), name='client_sex_known'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=models.Q(('initials', ''), ('initials__regex', '^([^0-9 .]{1,3}\\.)+$'), _connector='OR'), name='client_initials_format'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=models.Q(('name_prefix', ''), ('name_prefix__regex', '^[^0-9. ]([^0-9.]*[^0-9. ])?$'), _connector='OR'), name='client_name_prefix_format'),
        ),
        # The list search matches each word on the prefix too ("de jong"): its own trigram
        # index, like the other searched columns (0003), keeps the BitmapOr.
        PostgresOnlySQL(
            sql=(
                "CREATE INDEX client_name_prefix_trgm ON clients_client "
                "USING gin (UPPER(name_prefix::text) gin_trgm_ops)"
            ),
            reverse_sql="DROP INDEX client_name_prefix_trgm",
        ),
    ]
