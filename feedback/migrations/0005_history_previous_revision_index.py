"""The plan history finds each revision's previous one (`feedback.selectors`: the same row's newest
revision before it): an index on (row id, revision id) makes that one index probe per revision shown,
where the row id's own index left the database walking every revision of the table backwards.

Plain SQL, the same on PostgreSQL and SQLite: the historical models are made by django-simple-history,
whose model state has no place for an index of ours.
"""

from django.db import migrations

TABLES = ("objective", "keyresult", "initiative", "allocation")


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0004_feedback_answered_by"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX feedback_history_{table}_previous"
            f" ON feedback_historical{table} (id, history_id)",
            reverse_sql=f"DROP INDEX feedback_history_{table}_previous",
        )
        for table in TABLES
    ]
