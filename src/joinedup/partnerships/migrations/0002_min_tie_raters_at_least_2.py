"""SPEC revision 2: `min_tie_raters` defaults to 3 and is never below 2.

Partnerships that kept revision 1's default of 1 (or any value below 2) get
3, revision 2's default: one person's ratings of a partner would be that
person's own answers. Higher values are kept as they are.
"""

import django.core.validators
from django.db import migrations, models

REVISION_2_DEFAULT = 3
LOWEST = 2


def raise_tie_raters(apps, schema_editor):
    partnership = apps.get_model("partnerships", "Partnership")
    partnership.objects.filter(min_tie_raters__lt=LOWEST).update(min_tie_raters=REVISION_2_DEFAULT)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="partnership",
            name="min_tie_raters",
            field=models.PositiveSmallIntegerField(
                default=REVISION_2_DEFAULT,
                validators=[
                    django.core.validators.MinValueValidator(LOWEST),
                    django.core.validators.MaxValueValidator(50),
                ],
            ),
        ),
        # Going back keeps 3: revision 1 allowed it, and nothing is lost.
        migrations.RunPython(raise_tie_raters, migrations.RunPython.noop),
    ]
