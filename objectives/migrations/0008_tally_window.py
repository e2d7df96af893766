"""The tallies' sliding activity window: the `recent` kind, the window it sums, and triggers that count
into it (see `objectives.tallies.window`). An organization's `recent` rows are counted when its window
is first rolled (by its next recompute or the nightly job). Not reversible: the triggers read the window."""

import django.db.models.deletion
from django.db import migrations, models

from objectives import tallies


def triggers_remove(apps, schema_editor):
    # (first: SQLite cannot remake the tallies' table under triggers that write it)
    tallies.triggers_remove(schema_editor)


def triggers_install(apps, schema_editor):
    tallies.triggers_install(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('execgap', '0003_jobs'),
        ('objectives', '0007_task_largest_indexes'),
    ]

    operations = [
        migrations.RunPython(triggers_remove),
        migrations.CreateModel(
            name='TallyWindow',
            fields=[
                ('organization', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='execgap.organization')),
                ('first_day', models.DateField()),
                ('last_day', models.DateField()),
            ],
        ),
        migrations.AlterField(
            model_name='tasktally',
            name='kind',
            field=models.CharField(max_length=6),
        ),
        migrations.RunPython(triggers_install),
    ]
