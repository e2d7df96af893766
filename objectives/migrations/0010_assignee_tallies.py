"""Assignee tallies: the work of each (initiative, assignee) pair, the triggers that keep it (PostgreSQL or
SQLite), and a first count of every organization's tasks (see `objectives.tallies.assignees`)."""

import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models

from objectives import tallies


def install_and_count(apps, schema_editor):
    tallies.assignee_triggers_install(schema_editor)
    Organization = apps.get_model("execgap", "Organization")
    for organization_id in Organization.objects.using(schema_editor.connection.alias).values_list("pk", flat=True):
        tallies.tallies_rebuild(organization_id=organization_id)


def remove(apps, schema_editor):
    # (first: SQLite cannot drop the table under triggers that write it)
    tallies.assignee_triggers_remove(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('execgap', '0003_jobs'),
        ('objectives', '0009_task_open_by_team_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='AssigneeTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('initiative_id', models.BigIntegerField()),
                ('assignee_id', models.BigIntegerField()),
                ('kind', models.CharField(max_length=6)),
                ('day', models.DateField()),
                ('tasks', models.BigIntegerField(default=0)),
                ('effort', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=18)),
                ('unestimated', models.BigIntegerField(default=0)),
                ('organization', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='execgap.organization')),
            ],
            options={
                'indexes': [models.Index(fields=['organization', 'kind', 'day'], name='assignee_tally_window')],
                'constraints': [models.UniqueConstraint(fields=('organization', 'initiative_id', 'assignee_id', 'kind', 'day'), name='assignee_tally_key')],
            },
        ),
        migrations.RunPython(install_and_count, remove),
    ]
