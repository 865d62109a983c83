import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("hindsight")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One beat process runs these; every task is idempotent, so a second beat by mistake is harmless.
app.conf.beat_schedule = {
    "quarterly-review-of-the-quarter-just-ended": {
        "task": "analytics.tasks.review_previous_quarter",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "abandoned-review-runs": {
        "task": "analytics.tasks.expire_abandoned_review_runs",
        "schedule": crontab(minute="*/5"),
    },
    "commitment-reminders": {
        "task": "commitments.tasks.send_commitment_reminders",
        "schedule": crontab(minute=0, hour=8),
    },
    "leadership-weekly-digest": {
        "task": "commitments.tasks.send_leadership_digest",
        "schedule": crontab(minute=0, hour=8, day_of_week="mon"),
    },
}
