from django.apps import AppConfig


class SolidwasteConfig(AppConfig):
    name = "solidwaste"
    verbose_name = "Solid Waste"

    def ready(self):
        from solidwaste import home

        home.register()
        from solidwaste import dashboards

        dashboards.register()
