"""QR codes for setting up an authenticator app, made on the server: the page loads no
script and no image from elsewhere."""

from base64 import b32encode

import segno


def svg_data_uri(text):
    # A data: URI in an <img> (allowed by our CSP's img-src) rather than inline SVG markup,
    # which would need style attributes the CSP forbids.
    return segno.make(text, error="m").svg_data_uri(scale=5, border=4)


def grouped_secret(bin_key):
    """The secret as people type it into an app: base32 in groups of four."""
    secret = b32encode(bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
