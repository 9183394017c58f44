from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Counter",
            fields=[
                ("key", models.CharField(max_length=80, primary_key=True, serialize=False)),
                ("window_end", models.BigIntegerField()),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={
                "db_table": "joinedup_rate_counter",
                "indexes": [models.Index(fields=["window_end"], name="rate_counter_window_end")],
            },
        ),
    ]
