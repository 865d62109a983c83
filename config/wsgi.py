import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Everything loaded at start-up (Django, the URL conf, the checker's compiled rules) lives as
# long as the process: move it out of the collector's generations, so that a full collection
# during a request walks only what requests allocate, not the whole application.
gc.freeze()
