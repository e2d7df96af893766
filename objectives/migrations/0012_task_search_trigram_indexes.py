"""On PostgreSQL, trigram indexes for searching tasks by any part of their title or external key.

A task search (`icontains`: `UPPER(title) LIKE UPPER('%word%')`) otherwise scans every task of the
organization, a million at the largest; pg_trgm's GIN indexes on the same expressions answer it from
the index. SQLite (the embedded default, with small organizations) has no such index and scans.
"""

from django.db import migrations

INDEXES = {
    "task_title_trigram": "UPPER(title::text) gin_trgm_ops",
    "task_external_key_trigram": "UPPER(external_key::text) gin_trgm_ops",
}


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON objectives_task USING gin ({expression})"
        )


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("objectives", "0011_task_import_mapping")]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
