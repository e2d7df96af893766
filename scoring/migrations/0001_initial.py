"""The score snapshots move from the objectives app to the scoring app, their rows kept.

The models are taken over as they are (the state only), then their tables and indexes renamed to the scoring
app's names; `objectives.0005_scores_moved_to_scoring` drops them from the objectives app's state.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('execgap', '0001_initial'),
        ('objectives', '0004_task_indexes_in_id_order'),
        ('resources', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ScoreSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('as_of', models.DateField(help_text='D: the date the scores are computed for.')),
                        ('computed_at', models.DateTimeField(help_text='When the computation finished storing (UTC).')),
                        ('started_at', models.DateTimeField(help_text='When the computation started reading (UTC).')),
                        ('activity_window_days', models.PositiveIntegerField()),
                        ('planning_horizon_days', models.PositiveIntegerField()),
                        ('checkin_cadence_days', models.PositiveIntegerField()),
                        ('default_task_effort_hours', models.DecimalField(decimal_places=2, max_digits=10)),
                        ('spread_thin_allocations', models.PositiveIntegerField()),
                        ('alignment', models.FloatField(blank=True, null=True)),
                        ('resources', models.FloatField(blank=True, null=True)),
                        ('adaptability', models.FloatField(blank=True, null=True)),
                        ('people', models.FloatField(blank=True, null=True)),
                        ('execution_health', models.FloatField(blank=True, null=True)),
                        ('parts', models.JSONField(default=dict, help_text='Numerators and denominators, per score.')),
                        ('drivers', models.JSONField(default=dict, help_text='What moves the scores most, per kind.')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='execgap.organization')),
                    ],
                    options={
                        'db_table': 'objectives_scoresnapshot',
                        'ordering': ['-computed_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ObjectiveScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('parent_objective_id', models.BigIntegerField(blank=True, null=True)),
                        ('title', models.CharField(max_length=300)),
                        ('status', models.CharField(max_length=16)),
                        ('live', models.BooleanField(help_text='It and every objective above it are active at D.')),
                        ('intended_share', models.FloatField()),
                        ('actual_share', models.FloatField(blank=True, null=True)),
                        ('share_gap', models.FloatField(blank=True, null=True)),
                        ('aligned_effort', models.FloatField()),
                        ('misaligned_effort', models.FloatField()),
                        ('total_effort', models.FloatField()),
                        ('active_initiatives', models.PositiveIntegerField()),
                        ('demand', models.FloatField()),
                        ('covered', models.FloatField()),
                        ('coverage', models.FloatField()),
                        ('progress', models.FloatField()),
                        ('expected_progress', models.FloatField(blank=True, null=True)),
                        ('progress_status', models.CharField(blank=True, choices=[('on_track', 'On track'), ('behind', 'Behind'), ('at_risk', 'At risk')], help_text='Empty: no dates.', max_length=16)),
                        ('objective', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='scores', to='objectives.objective')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='execgap.organization')),
                        ('snapshot', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='scoring.scoresnapshot')),
                    ],
                    options={
                        'db_table': 'objectives_objectivescore',
                        'ordering': ['snapshot_id', 'objective_id'],
                    },
                ),
                migrations.CreateModel(
                    name='InitiativeScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('parent_objective_id', models.BigIntegerField(blank=True, null=True)),
                        ('title', models.CharField(max_length=300)),
                        ('end_date', models.DateField()),
                        ('days_left', models.PositiveIntegerField()),
                        ('window_days', models.PositiveIntegerField()),
                        ('remaining', models.FloatField()),
                        ('demand', models.FloatField()),
                        ('supply', models.FloatField()),
                        ('coverage', models.FloatField()),
                        ('initiative', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='scores', to='objectives.initiative')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='execgap.organization')),
                        ('snapshot', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='scoring.scoresnapshot')),
                    ],
                    options={
                        'db_table': 'objectives_initiativescore',
                        'ordering': ['snapshot_id', 'initiative_id'],
                    },
                ),
                migrations.CreateModel(
                    name='TeamScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('parent_team_id', models.BigIntegerField(blank=True, null=True)),
                        ('name', models.CharField(max_length=200)),
                        ('score', models.FloatField(blank=True, null=True)),
                        ('aligned_effort', models.FloatField()),
                        ('total_effort', models.FloatField()),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='execgap.organization')),
                        ('snapshot', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, to='scoring.scoresnapshot')),
                        ('team', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='scores', to='resources.team')),
                    ],
                    options={
                        'db_table': 'objectives_teamscore',
                        'ordering': ['snapshot_id', 'team_id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='scoresnapshot',
                    index=models.Index(fields=['organization', 'as_of', 'computed_at'], name='objectives__organiz_ef7744_idx'),
                ),
                migrations.AddIndex(
                    model_name='scoresnapshot',
                    index=models.Index(fields=['organization', 'computed_at'], name='objectives__organiz_7c3f08_idx'),
                ),
                migrations.AddIndex(
                    model_name='objectivescore',
                    index=models.Index(fields=['snapshot', 'objective'], name='objectives__snapsho_faefa8_idx'),
                ),
                migrations.AddIndex(
                    model_name='initiativescore',
                    index=models.Index(fields=['snapshot', 'initiative'], name='objectives__snapsho_ee609d_idx'),
                ),
                migrations.AddIndex(
                    model_name='teamscore',
                    index=models.Index(fields=['snapshot', 'team'], name='objectives__snapsho_c4c8a4_idx'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='scoresnapshot', table=None),
        migrations.AlterModelTable(name='objectivescore', table=None),
        migrations.AlterModelTable(name='initiativescore', table=None),
        migrations.AlterModelTable(name='teamscore', table=None),
        migrations.RenameIndex(model_name='initiativescore', new_name='scoring_ini_snapsho_7bae17_idx', old_name='objectives__snapsho_ee609d_idx'),
        migrations.RenameIndex(model_name='objectivescore', new_name='scoring_obj_snapsho_116c0d_idx', old_name='objectives__snapsho_faefa8_idx'),
        migrations.RenameIndex(model_name='scoresnapshot', new_name='scoring_sco_organiz_fb2541_idx', old_name='objectives__organiz_ef7744_idx'),
        migrations.RenameIndex(model_name='scoresnapshot', new_name='scoring_sco_organiz_b7f2f7_idx', old_name='objectives__organiz_7c3f08_idx'),
        migrations.RenameIndex(model_name='teamscore', new_name='scoring_tea_snapsho_797576_idx', old_name='objectives__snapsho_c4c8a4_idx'),
    ]
