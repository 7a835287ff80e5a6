"""Cover arrangements need the covered team's consent (issue 20, item 5).

Existing rows become "proposed": nothing recorded that the covered team agreed, and an
arrangement one team imposed could not be told apart from an agreed one. The covered team
accepts them on the night-cover page. On PostgreSQL an exclusion constraint makes two
overlapping arrangements between the same two teams impossible.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from buurtzorg.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):

    dependencies = [
        ('scheduling', '0004_visit_database_rules'),
        ('teams', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='coverarrangement',
            name='accepted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='accepted at'),
        ),
        migrations.AddField(
            model_name='coverarrangement',
            name='accepted_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='coverarrangement',
            name='status',
            field=models.CharField(choices=[('proposed', 'Proposed'), ('accepted', 'Accepted')], default='proposed', max_length=10, verbose_name='status'),
        ),
        migrations.AddConstraint(
            model_name='coverarrangement',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['proposed', 'accepted'])), name='coverarrangement_status_known'),
        ),
        migrations.AddConstraint(
            model_name='coverarrangement',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('accepted_at__isnull', False), ('accepted_by__isnull', False), ('status', 'accepted')), models.Q(('accepted_at__isnull', True), ('accepted_by__isnull', True), ('status', 'proposed')), _connector='OR'), name='coverarrangement_accepted_by_someone', violation_error_message='An accepted arrangement names who accepted it.'),
        ),
        PostgresOnlySQL(
            sql=(
                "ALTER TABLE scheduling_coverarrangement ADD CONSTRAINT coverarrangement_no_overlap "
                "EXCLUDE USING gist (covering_team_id WITH =, covered_team_id WITH =, "
                "daterange(valid_from, valid_until, '[]') WITH &&)"
            ),
            reverse_sql=(
                "ALTER TABLE scheduling_coverarrangement DROP CONSTRAINT coverarrangement_no_overlap"
            ),
        ),
    ]
