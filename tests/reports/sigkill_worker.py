"""The Celery app for the SIGKILL test's worker processes (tests/reports/test_tasks.py):
the portal's app with a short visibility timeout, so that Redis hands an unacknowledged
message to another worker after seconds instead of an hour, and (with SLOW_RENDER_SECONDS)
a rendering that takes that long, so that the test can kill the worker in the middle of it.
The slowness wraps the real render function; the PDF is still rendered for real."""

import os
import time

from celery.signals import task_prerun

from regioportal.celery import app

app.conf.broker_transport_options = {
    "visibility_timeout": int(os.environ.get("VISIBILITY_TIMEOUT", "8")),
    # Unacknowledged messages of their own: with the short timeout above, these workers
    # would otherwise put the test run's other workers' running tasks back on their queues.
    "unacked_key": "sigkill-test-unacked",
    "unacked_index_key": "sigkill-test-unacked_index",
    "unacked_mutex_key": "sigkill-test-unacked_mutex",
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
SLOW_RENDER_SECONDS = float(os.environ.get("SLOW_RENDER_SECONDS", "0"))


@task_prerun.connect
def _slow_rendering(**kwargs):
    from reports import rendering

    real = rendering.render_factsheet
    if not SLOW_RENDER_SECONDS or getattr(real, "slowed", False):
        return

    def slow(factsheet):
        time.sleep(SLOW_RENDER_SECONDS)
        return real(factsheet)

    slow.slowed = True
    rendering.render_factsheet = slow
