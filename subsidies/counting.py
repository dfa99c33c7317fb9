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

from regioportal.versions import DataVersion

VERSION_KEY = "subsidies:data-version"
COUNT_TTL = 300  # seconds


VERSION = DataVersion(VERSION_KEY)
data_version = VERSION.current
data_changed = VERSION.changed


# What a signing-in user's save writes (django.contrib.auth.models.update_last_login): no
# list or count shows it, and moving the version at every login would empty the caches.
LOGIN_ONLY = frozenset({"last_login"})


def user_changed(update_fields=None, **kwargs):
    """post_save of a user: their name (reviewer options) or active flag (who may review)."""
    if update_fields is not None and frozenset(update_fields) <= LOGIN_ONLY:
        return
    data_changed()


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
