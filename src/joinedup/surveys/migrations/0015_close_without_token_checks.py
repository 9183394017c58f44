"""A round's close without PostgreSQL checking each invitation's links, nor indexing units.

`InvitationToken.invitation` loses its database constraint (Django still
cascades): when the close deleted a round's 125,000 invitations, PostgreSQL
looked for links of each (about 1.4 s); the close now deletes the
invitations first and then their links (`closing.erase_after_close`), and
only `sending.send_one` adds links, to an invitation it has locked.
`Response.unit` loses its index: it is only ever read with its round.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('surveys', '0014_link_hashes_without_pattern_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='invitationtoken',
            name='invitation',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='tokens', to='surveys.invitation'),
        ),
        migrations.AlterField(
            model_name='response',
            name='unit',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='surveys.reportingunit'),
        ),
    ]
