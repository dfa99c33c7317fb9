"""Counts of the applications worklist, cached until subsidy data changes (as the participants
list's counts are: see participants.counting).

Counting 20.000 applications through the user's reach on every page of the worklist was, at
province scale, as much work for the database as the page's rows. The count is cached under
what decides it — the user, their roles, the valid filters and the day — and a version number
that every saved or deleted application, review, organisation, scheme, tender or municipality,
every change of a scheme's handlers and every change of a user's groups, name or active flag
moves once its transaction commits (signals connected in apps.py). The worklist's option
lists are kept under the same version (forms_worklist.kept). Code that writes these rows in
bulk (``bulk_create``, ``update``) sends no signals: it calls :func:`data_changed` itself.
The TTL is a safety net only."""

import hashlib

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "subsidies:data-version"
COUNT_TTL = 300  # seconds


def data_version(request=None):
    """The current version; read once per request when ``request`` is given."""
    version = getattr(request, "_subsidies_data_version", None)
    if version is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    if request is not None:
        request._subsidies_data_version = version
    return version


def data_changed(**_kwargs):
    """Move the version on once the current transaction commits (at once outside one); a
    signal receiver too. Not before the commit: a request reading the new version while the
    old rows are still what it sees would cache an old count under the new version."""
    transaction.on_commit(_bump)


# What a signing-in user's save writes (django.contrib.auth.models.update_last_login): no
# list or count shows it, and moving the version at every login would empty the caches.
LOGIN_ONLY = frozenset({"last_login"})


def user_changed(update_fields=None, **kwargs):
    """post_save of a user: their name (reviewer options) or active flag (who may review)."""
    if update_fields is not None and frozenset(update_fields) <= LOGIN_ONLY:
        return
    data_changed()


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not in the cache yet (or evicted)
        cache.set(VERSION_KEY, 2, timeout=None)


def cached_count(queryset, *, key, request=None):
    """``queryset.count()``, cached under ``key`` (anything with a stable repr) and the
    data version."""
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    cache_key = f"subsidies:count:{data_version(request)}:{digest}"
    count = cache.get(cache_key)
    if count is None:
        count = queryset.count()
        cache.set(cache_key, count, COUNT_TTL)
    return count
