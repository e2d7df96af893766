from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("execgap", "0004_job_kind_scenario_evaluation"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="lease_expires_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="job",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.AddIndex(
            model_name="job",
            index=models.Index(
                condition=models.Q(("state", "running")),
                fields=["lease_expires_at"],
                name="job_running_lease",
            ),
        ),
    ]
