from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and national-scale example data. The only app that may see every other app, and
    the one no other app imports: it comes last in INSTALLED_APPS."""

    name = "demo"
    verbose_name = "Demodata"
