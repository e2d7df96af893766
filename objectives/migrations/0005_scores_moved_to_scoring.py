"""The score snapshots now belong to the scoring app (`scoring.0001_initial` took them over with their
rows): the objectives app forgets them without touching the database."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('objectives', '0004_task_indexes_in_id_order'),
        ('scoring', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='TeamScore'),
                migrations.DeleteModel(name='InitiativeScore'),
                migrations.DeleteModel(name='ObjectiveScore'),
                migrations.DeleteModel(name='ScoreSnapshot'),
            ],
            database_operations=[],
        ),
    ]
