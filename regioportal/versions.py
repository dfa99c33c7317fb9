"""Data versions: a number in the shared cache that moves on once a transaction that changed
the data commits. Cached counts and option lists hold it in their keys, so a change is seen by
the next request in every process, and nothing stays cached across a change of reach.

The version moves when the change is committed, never before: a request that read a moved
version while the writing transaction was still open would read the old rows and cache them
under the new version, where they would stay for the whole TTL."""

from django.core.cache import cache
from django.db import transaction


class DataVersion:
    """The version under ``key`` in the shared cache (participants.counting,
    subsidies.counting)."""

    def __init__(self, key):
        self.key = key
        self._request_attribute = "_data_version_" + key.replace(":", "_").replace("-", "_")

    def current(self, request=None):
        """The current version; read once per request when ``request`` is given."""
        version = getattr(request, self._request_attribute, None)
        if version is not None:
            return version
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, 1, timeout=None)
            version = cache.get(self.key, 1)
        if request is not None:
            setattr(request, self._request_attribute, version)
        return version

    def changed(self, **_kwargs):
        """Move the version on once the current transaction commits (at once outside one).
        A signal receiver too: model signals are sent inside the writing transaction."""
        transaction.on_commit(self._move_on)

    def _move_on(self):
        try:
            cache.incr(self.key)
        except ValueError:  # not in the cache yet (or evicted)
            cache.set(self.key, 2, timeout=None)
