"""A team's remembered import mapping."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('execgap', '0004_job_kind_scenario_evaluation'),
        ('objectives', '0010_assignee_tallies'),
        ('resources', '0003_person_by_name_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaskImportMapping',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
                ('status_map', models.JSONField(blank=True, default=dict)),
                ('link_map', models.JSONField(blank=True, default=dict)),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='execgap.organization')),
                ('team', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='import_mapping', to='resources.team')),
            ],
        ),
    ]
