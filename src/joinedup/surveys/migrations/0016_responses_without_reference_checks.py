"""Responses without PostgreSQL checking their round and organisation on each row.

Closing a round stores each of its responses afresh (`closing.store_afresh`):
for 100,000 responses PostgreSQL's two reference checks took about 0.9 s of
that statement's 2.6 s. Django still cascades and restricts; the round's row
lock now keeps what the constraints kept (see the comment on `Response`).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partnerships', '0002_min_tie_raters_at_least_2'),
        ('surveys', '0015_close_without_token_checks'),
    ]

    operations = [
        migrations.AlterField(
            model_name='response',
            name='organisation',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.RESTRICT, to='partnerships.organisation'),
        ),
        migrations.AlterField(
            model_name='response',
            name='round',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='surveys.round'),
        ),
    ]
