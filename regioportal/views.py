from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .dashboard import dashboard_for


@login_required
def home(request):
    return render(request, "regioportal/home.html", dashboard_for(request.user))


@never_cache
@require_GET
def healthz(request):
    """Report the database, the broker/cache (Redis) and the worker's last heartbeat.
    200 when the database and cache answer; the worker's age is reported, not required."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report any failure
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: no round trip"
    except Exception as exc:  # noqa: BLE001
        checks["cache"] = f"error: {exc.__class__.__name__}"
    checks["broker"] = "redis" if settings.REDIS_URL else "filesystem"
    heartbeat = cache.get("worker-heartbeat") if checks["cache"] == "ok" else None
    if heartbeat:
        age = (timezone.now() - timezone.datetime.fromisoformat(heartbeat)).total_seconds()
        checks["worker"] = "ok" if age < 180 else f"stale: last seen {int(age)} s ago"
    else:
        checks["worker"] = "unknown: no heartbeat yet"
    healthy = checks["database"] == "ok" and checks["cache"] == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
