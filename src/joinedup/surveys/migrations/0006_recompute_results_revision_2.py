"""Recompute every closed round's stored result under SPEC revision 2.

Results made under revision 1 showed a merged organisation's view of its
partners and ties rated by one person. Each closed round is recomputed from
its stored responses and ratings by `joinedup.surveys.recompute`, the same
code path closing a round uses, with the thresholds of its stored result
(min_tie_raters below 2 becomes 3). Cached charts are forgotten.

The function is given historical rounds; it reads every other model from the
round's own registry, so this migration uses historical models throughout
(see the module docstring of `joinedup.surveys.recompute`).

Going back leaves the recomputed results in place: revision 1's results
cannot be made again without showing what revision 2 withholds.
"""

from django.db import migrations


def recompute(apps, schema_editor):
    from joinedup.surveys.recompute import recompute_closed_rounds

    survey_round = apps.get_model("surveys", "Round")
    closed = survey_round.objects.filter(status="closed", result__isnull=False)
    recompute_closed_rounds(list(closed.select_related("partnership")))


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_min_tie_raters_at_least_2"),
        ("surveys", "0005_round_result_revision"),
    ]

    operations = [
        migrations.RunPython(recompute, migrations.RunPython.noop),
    ]
