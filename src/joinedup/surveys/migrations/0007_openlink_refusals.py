from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("surveys", "0006_recompute_results_revision_2")]

    operations = [
        migrations.AddField(
            model_name="openlink",
            name="refused_starts",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="openlink",
            name="refused_submissions",
            field=models.PositiveIntegerField(default=0),
        ),
    ]
