from django.conf import settings


def client_address(request):
    """The address of the person making the request.

    Behind REVERSE_PROXY_COUNT proxies that each append to X-Forwarded-For, the client is the
    entry that many places from the right: entries further left were sent by the client and
    can be anything. Without proxies the header is ignored for the same reason.
    """
    count = settings.REVERSE_PROXY_COUNT
    if count:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def attempted_username(request, credentials=None):
    """The username of a login attempt as django-axes stores it. The login form sends any
    length, while Axes' column takes 255 characters: a longer "username" would end the
    request in a database error instead of a counted failure."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "POST", {}).get("username")
    return username[:150] if username else username
