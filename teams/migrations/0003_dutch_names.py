"""Dutch names (issue 15): initials, name prefix (tussenvoegsel) and sex on the user.

Existing names move without loss: a leading tussenvoegsel is split out of `last_name` ("de
Jong" -> "de" + "Jong", "van den Berg" -> "van den" + "Berg", see `teams.names`), so the list
order (and its index) puts "de Jong" under J; initials come from the first name ("Jan" ->
"J."); sex starts as "0" (unknown). Reversing puts the prefix back in front of the surname.
"""

import django.core.validators
from django.db import migrations, models

from teams.names import names_join_existing, names_split_existing


def split_names(apps, schema_editor):  # noqa: ANN001, ANN201
    names_split_existing(apps.get_model("teams", "User"))


def join_names(apps, schema_editor):  # noqa: ANN001, ANN201
    names_join_existing(apps.get_model("teams", "User"))


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('teams', '0002_user_language'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='user',
            options={'ordering': ['last_name', 'first_name', 'id']},
        ),
        migrations.AddField(
            model_name='user',
            name='initials',
            field=models.CharField(blank=True, max_length=20, validators=[django.core.validators.RegexValidator('^(?:[^\\W\\d_]{1,3}\\.)+$', 'Initials are letters, each followed by a dot, e.g. "J.H." or "Th.".', code='invalid_initials')], verbose_name='initials'),
        ),
        migrations.AddField(
            model_name='user',
            name='name_prefix',
            field=models.CharField(blank=True, max_length=20, validators=[django.core.validators.RegexValidator("^['’]?[^\\W\\d_]+['’]?(?: ['’]?[^\\W\\d_]+['’]?)*$", 'A name prefix (tussenvoegsel) holds only letters, spaces and apostrophes, e.g. "van den" or "\'t".', code='invalid_name_prefix')], verbose_name='name prefix'),
        ),
        migrations.AddField(
            model_name='user',
            name='sex',
            field=models.CharField(choices=[('0', 'Unknown'), ('1', 'Male'), ('2', 'Female'), ('9', 'Not specified')], default='0', max_length=1, verbose_name='sex'),
        ),
        migrations.RunPython(split_names, join_names, elidable=False),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('sex__in', ['0', '1', '2', '9'])), name='user_sex_known'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('initials', ''), ('initials__regex', '^([^0-9 .]{1,3}\\.)+$'), _connector='OR'), name='user_initials_format'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(('name_prefix', ''), ('name_prefix__regex', '^[^0-9. ]([^0-9.]*[^0-9. ])?$'), _connector='OR'), name='user_name_prefix_format'),
        ),
    ]
