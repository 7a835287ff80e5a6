"""An erased (anonymised) client keeps no BSN at all instead of a synthetic stand-in.

NULL is allowed only on a record erased after its retention term; the 11-test still holds
for every BSN there is, and billing's pre-flight reports a client without one.
"""

import clients.models
import django.db.models.expressions
import django.db.models.functions.comparison
import django.db.models.functions.math
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0001_initial'),
        ('teams', '0001_initial'),
        ('history', '0003_bsn_null_when_erased'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='client',
            name='client_bsn_eleven_test',
        ),
        migrations.AlterField(
            model_name='client',
            name='bsn',
            field=models.CharField(max_length=9, null=True, unique=True, validators=[clients.models.validate_bsn], verbose_name='BSN'),
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=models.Q(('bsn__isnull', True), models.Q(('bsn__regex', '^[0-9]{9}$'), models.Q(('bsn', '000000000'), _negated=True), django.db.models.lookups.Exact(django.db.models.functions.math.Mod(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.Value(0), '+', django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.functions.text.Substr('bsn', 1, 1), models.IntegerField()), '*', models.Value(9))), '+', django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.functions.text.Substr('bsn', 2, 1), models.IntegerField()), '*', models.Value(8))), '+', django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.functions.text.Substr('bsn', 3, 1), models.IntegerField()), '*', models.Value(7))), '+', django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.functions.text.Substr('bsn', 4, 1), models.IntegerField()), '*', models.Value(6))), '+', django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.functions.text.Substr('bsn', 5, 1), models.IntegerField()), '*', models.Value(5))), '+', django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.functions.text.Substr('bsn', 6, 1), models.IntegerField()), '*', models.Value(4))), '+', django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.functions.text.Substr('bsn', 7, 1), models.IntegerField()), '*', models.Value(3))), '+', django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.functions.text.Substr('bsn', 8, 1), models.IntegerField()), '*', models.Value(2))), '+', django.db.models.expressions.CombinedExpression(django.db.models.functions.comparison.Cast(django.db.models.functions.text.Substr('bsn', 9, 1), models.IntegerField()), '*', models.Value(-1))), models.Value(11)), models.Value(0))), _connector='OR'), name='client_bsn_eleven_test', violation_error_message='A BSN is 9 digits and must pass the 11-test (elfproef).'),
        ),
        # Records erased before this change carry a synthetic 11-test-valid stand-in BSN.
        migrations.RunSQL(
            "UPDATE clients_client SET bsn = NULL "
            "WHERE first_name = '[erased]' AND last_name = '[erased]' AND status = 'discharged'",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name='client',
            constraint=models.CheckConstraint(condition=models.Q(('bsn__isnull', False), models.Q(('first_name', '[erased]'), ('last_name', '[erased]'), ('status', 'discharged')), _connector='OR'), name='client_bsn_unless_erased', violation_error_message='A client needs a BSN; only an erased record has none.'),
        ),
    ]
