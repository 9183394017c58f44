"""Each response keeps its ratings of partners in its own row (`Response.ratings`).

Closing a round stores every response afresh with a new id in a random
order (docs/privacy.md §7); with a row per rating that meant copying ten
times as many rows as responses, most of a large round's close. The ratings
are folded into their responses here and the `Rating` table goes. Going back
makes a `Rating` row of each entry again (with a new random id: rating ids
were never kept anywhere else).
"""

import uuid

from django.db import migrations, models

# The columns `Rating` had besides its ids, as 0001 made them.
SCORES = ("contact", "reliable", "open", "purpose", "resources", "influence", "involved")
BATCH = 2000


def fold(apps, schema_editor):
    """Copy each response's ratings into it, in the order of the partners' ids."""
    response_model = apps.get_model("surveys", "Response")
    rating_model = apps.get_model("surveys", "Rating")
    rows = rating_model.objects.order_by("response_id", "partner_id").values_list(
        "response_id", "partner_id", *SCORES
    )
    ratings_of: dict = {}
    for response_id, partner_id, *scores in rows.iterator(chunk_size=BATCH):
        entry = {"partner": partner_id, **dict(zip(SCORES, scores, strict=True))}
        ratings_of.setdefault(response_id, []).append(entry)
    # Written by id, in batches: no query lists every id at once (PostgreSQL
    # takes at most 65,535 parameters, a large install has more responses).
    changed = [response_model(pk=pk, ratings=entries) for pk, entries in ratings_of.items()]
    response_model.objects.bulk_update(changed, ["ratings"], batch_size=BATCH)


def unfold(apps, schema_editor):
    """A `Rating` row of each entry of each response's ratings."""
    response_model = apps.get_model("surveys", "Response")
    rating_model = apps.get_model("surveys", "Rating")
    made = []
    for response_id, ratings in (
        response_model.objects.exclude(ratings=[]).values_list("pk", "ratings").iterator()
    ):
        for entry in ratings:
            made.append(
                rating_model(
                    id=uuid.uuid4(),
                    response_id=response_id,
                    partner_id=entry["partner"],
                    **{code: entry.get(code) for code in SCORES},
                )
            )
        if len(made) >= BATCH:
            rating_model.objects.bulk_create(made)
            made = []
    rating_model.objects.bulk_create(made)


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_min_tie_raters_at_least_2"),
        ("surveys", "0011_invitation_email_search_index"),
    ]

    operations = [
        # The old ratings' way back to their response was also called
        # `ratings`: renamed away first (no change to the tables).
        migrations.AlterField(
            model_name="rating",
            name="response",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="surveys.response",
            ),
        ),
        migrations.AddField(
            model_name="response",
            name="ratings",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(fold, unfold),
        migrations.DeleteModel(name="Rating"),
    ]
