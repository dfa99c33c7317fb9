"""Counts of the participants list, cached until participant data changes.

Counting 25.000 enrolments for a programme on every page of the list was, at province scale,
a good part of the database's work per request. The count is cached under the exact query
(which holds the user's reach) and a version number that every change to participants or
enrolments bumps: through the model signals for single saves and deletes, and explicitly by
the bulk paths (imports, group activities) that bypass them. The TTL is a safety net only.

The version (regioportal.versions.DataVersion) moves when the change is committed, never
before.

One version for all programmes is enough, and simpler than one per programme: a count depends
not only on the enrolments of its programmes but on participants' names (the search), on
programme memberships (the user's reach) and on which programmes register participants (the
choices), so per-programme versions would need a version per user's reach as well and a write
to a participant would have to find all programmes the participant is enrolled in. Participant
data changes a few times a minute at province scale, and an emptied cache costs one count
query per user and filter (measured in `make bench`, "with a writer")."""

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet

from regioportal.versions import DataVersion

VERSION_KEY = "participants:data-version"
COUNT_TTL = 300  # seconds


VERSION = DataVersion(VERSION_KEY)
data_version = VERSION.current
data_changed = VERSION.changed


def cached_count(queryset, *, key=None, request=None):
    """``queryset.count()``, cached. ``key`` (any repr-able value) names the count when the
    caller knows what determines it — the user, their roles and the filters — which is cheaper
    than compiling the query; otherwise the query's SQL names it. Memberships of programmes
    bump the data version too (apps.py), so a user's reach is part of every key."""
    if key is None:
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # e.g. .none(): nothing to count
            return 0
        key = (sql, params)
    digest = hashlib.sha256(repr(key).encode()).hexdigest()
    key = f"participants:count:{data_version(request)}:{digest}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, COUNT_TTL)
    return count
