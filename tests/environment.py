"""The environment of a test run, set before Django reads its settings.

pytest-django imports the settings before pytest loads any ``conftest.py``, so this module is
loaded as a plugin instead (``-p tests.environment`` in pyproject.toml's ``addopts``). Values
already in the environment win, so CI or a developer can point the tests elsewhere; plain
``.venv/bin/pytest`` works against the PostgreSQL and Redis that ``make test`` starts.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# DEBUG=true gives the development storage and security settings (no manifest of collected
# static files, no HTTPS redirect); pytest-django still runs every test with DEBUG off.
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/regioportal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")


def _test_redis_urls(url, worker):
    """Like the test_ prefix Django gives the database, the tests use Redis databases of their
    own, two per process: the broker's (Celery queue and results) and the cache's, 8 and 9 for
    a single process, 10 + 2n and 11 + 2n for pytest-xdist worker gw<n>. Each process so has its
    own cache and its own Celery queue (the worker it starts reads only that one)."""
    number = 8 if not worker else 10 + 2 * int(worker.removeprefix("gw"))
    if number + 1 > 15:
        raise RuntimeError(
            f"Redis has 16 databases, two per test process: too many xdist workers ({worker})."
        )
    parts = urlsplit(url)
    return (
        urlunsplit(parts._replace(path=f"/{number}")),
        urlunsplit(parts._replace(path=f"/{number + 1}")),
    )


os.environ["REDIS_URL"], os.environ["CACHE_URL"] = _test_redis_urls(
    os.environ["REDIS_URL"], os.environ.get("PYTEST_XDIST_WORKER")
)

# Uploaded and rendered files go to a scratch directory, not to var/private; STATIC_ROOT is an
# empty directory there (WhiteNoise warns about a missing one; tests serve static files from
# the app directories).
_scratch = Path(tempfile.mkdtemp(prefix="regioportal-test-"))
atexit.register(shutil.rmtree, _scratch, ignore_errors=True)
for _name, _variable in (("private", "PRIVATE_MEDIA_ROOT"), ("static", "STATIC_ROOT")):
    (_scratch / _name).mkdir()
    os.environ[_variable] = str(_scratch / _name)
