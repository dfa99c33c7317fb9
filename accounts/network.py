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
