"""Settings for `make bench-load`: the real site, plus one bare Django view.

The bare view (bench_urls.py) is the yardstick: it goes through the same
server, the same middleware and the same URL resolver as the survey pages,
and does nothing else. The survey pages' throughput is reported as a
fraction of it.
"""

from __future__ import annotations

from joinedup.site.settings import *  # noqa: F403  (the real settings, unchanged)

ROOT_URLCONF = "bench_urls"
