"""Assignee tallies keep a `scope` row per pair (open or done in the window: the work the staffing drift
reads): the triggers that count it, and a recount of every organization's tallies."""

from django.db import migrations

from objectives import tallies


def reinstall_and_recount(apps, schema_editor):
    tallies.assignee_triggers_remove(schema_editor)
    tallies.assignee_triggers_install(schema_editor)
    Organization = apps.get_model("execgap", "Organization")
    for organization_id in Organization.objects.using(schema_editor.connection.alias).values_list("pk", flat=True):
        tallies.tallies_rebuild(organization_id=organization_id)


class Migration(migrations.Migration):

    dependencies = [
        ("objectives", "0012_task_search_trigram_indexes"),
    ]

    operations = [
        # Backwards, the later triggers stay: they count `scope` rows, which nothing then reads.
        migrations.RunPython(reinstall_and_recount, migrations.RunPython.noop),
    ]
