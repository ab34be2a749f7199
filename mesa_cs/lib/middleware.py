"""Response headers every page of the product carries."""

from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user hold customers' personal data and
    balances: no browser or proxy may keep a copy (the back button on a
    shared counter PC after sign-out must not bring them back)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # never_cache's headers: no-cache, no-store, must-revalidate, private.
            add_never_cache_headers(response)
        return response
