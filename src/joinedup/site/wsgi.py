"""The WSGI application that `joinedup serve` runs (and any WSGI server may).

It refuses to load without a SECRET_KEY unless DEBUG is on (site/startup.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.site.settings")
application = get_wsgi_application()

from joinedup.site.startup import require_secret_key  # noqa: E402 (needs settings loaded)

require_secret_key()
