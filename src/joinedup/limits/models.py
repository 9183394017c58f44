"""One row per rate-limit counter: counted with one atomic upsert (see site/ratelimit.py).

`key` is a keyed hash that changes every day, never a token, a token hash or
an address; `window_end` is the end of a fixed window shared by every
counter, so no row records when any one request came.
"""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    key = models.CharField(max_length=80, primary_key=True)
    window_end = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "joinedup_rate_counter"
        indexes = [models.Index(fields=["window_end"], name="rate_counter_window_end")]
