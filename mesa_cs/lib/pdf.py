"""PDFs from templates with WeasyPrint, reading static files from disk (no
HTTP round trip to ourselves, and it works on a closed network)."""

import threading
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _url_fetcher(url: str):
    from weasyprint import default_url_fetcher

    path = urlparse(url).path
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path[len(settings.STATIC_URL) :])
        if found:
            with open(found, "rb") as handle:
                return {"string": handle.read(), "mime_type": None, "filename": found}
    if url.startswith("data:"):
        return default_url_fetcher(url)
    raise ValueError(f"PDFs may only use static files and data: URLs, not {url}")


_local = threading.local()


def _font_config():
    """One font configuration per thread, kept between PDFs: building it
    (fontconfig's setup) is a share of each render otherwise, and a bill run
    renders thousands."""
    if not hasattr(_local, "font_config"):
        from weasyprint.text.fonts import FontConfiguration

        _local.font_config = FontConfiguration()
    return _local.font_config


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(
        string=html, base_url="http://mesa-cs.invalid/", url_fetcher=_url_fetcher
    ).write_pdf(font_config=_font_config())
