from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city and ``seed_demo``. Outermost: it builds through the
    other apps' services, and only bench/ and tests/ import it."""

    name = "demo"
    verbose_name = "Demo city"
