"""Change sets in the plan history, and the organization's scoring settings kept in it.

`history_change_set` groups the records written together (`execgap.history`); the settings get a
history table of their own, started with one record per organization as it is now (without it, the
first change would have nothing to be compared with). The plan history page walks each table newest
first for one organization: an index on (organization, date, record) per table (plain SQL, as in 0005).
"""

import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


PLAN_TABLES = ("objective", "keyresult", "initiative", "allocation")
SETTINGS = (
    "id",
    "slug",
    "name",
    "activity_window_days",
    "planning_horizon_days",
    "checkin_cadence_days",
    "default_task_effort_hours",
    "spread_thin_allocations",
    "version",
)


def settings_first_revisions(apps, schema_editor):
    organization = apps.get_model("execgap", "Organization")
    history = apps.get_model("feedback", "HistoricalOrganization")
    history.objects.bulk_create(
        history(history_type="+", history_date=row["created_at"], **{name: row[name] for name in SETTINGS})
        for row in organization.objects.values(*SETTINGS, "created_at")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0005_history_previous_revision_index'),
        ('execgap', '0005_job_lease'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalallocation',
            name='history_change_set',
            field=models.UUIDField(blank=True, db_index=True, editable=False, help_text='The records written together (one request, service call or transaction) share it.', null=True),
        ),
        migrations.AddField(
            model_name='historicalinitiative',
            name='history_change_set',
            field=models.UUIDField(blank=True, db_index=True, editable=False, help_text='The records written together (one request, service call or transaction) share it.', null=True),
        ),
        migrations.AddField(
            model_name='historicalkeyresult',
            name='history_change_set',
            field=models.UUIDField(blank=True, db_index=True, editable=False, help_text='The records written together (one request, service call or transaction) share it.', null=True),
        ),
        migrations.AddField(
            model_name='historicalobjective',
            name='history_change_set',
            field=models.UUIDField(blank=True, db_index=True, editable=False, help_text='The records written together (one request, service call or transaction) share it.', null=True),
        ),
        migrations.CreateModel(
            name='HistoricalOrganization',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_change_set', models.UUIDField(blank=True, db_index=True, editable=False, help_text='The records written together (one request, service call or transaction) share it.', null=True)),
                ('slug', models.SlugField(max_length=64)),
                ('name', models.CharField(max_length=200)),
                ('activity_window_days', models.PositiveIntegerField(default=28, help_text='W: how far back finished work still counts as activity (days).')),
                ('planning_horizon_days', models.PositiveIntegerField(default=90, help_text='H: how far ahead staffing is measured (days).')),
                ('checkin_cadence_days', models.PositiveIntegerField(default=14, help_text='C: how old the last check-in may be for an item to count as fresh (days).')),
                ('default_task_effort_hours', models.DecimalField(decimal_places=2, default=Decimal('4'), help_text='E: effort of a task that has no estimate (hours).', max_digits=10)),
                ('spread_thin_allocations', models.PositiveIntegerField(default=3, help_text='K: a person with more concurrent allocations than this is spread thin.')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('history_change_reason', models.TextField(null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical organization',
                'verbose_name_plural': 'historical organizations',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(settings_first_revisions, migrations.RunPython.noop),
        *(
            migrations.RunSQL(
                sql=f"CREATE INDEX feedback_history_{table}_newest"
                f" ON feedback_historical{table} (organization_id, history_date, history_id)",
                reverse_sql=f"DROP INDEX feedback_history_{table}_newest",
            )
            for table in PLAN_TABLES
        ),
        migrations.RunSQL(
            sql="CREATE INDEX feedback_history_organization_newest"
            " ON feedback_historicalorganization (id, history_date, history_id)",
            reverse_sql="DROP INDEX feedback_history_organization_newest",
        ),
    ]
