import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medborgarlofte.settings")

django_application = get_wsgi_application()

from core.deadline import bounded_wsgi  # noqa: E402 - after Django is set up

# The request's deadline from its very start: Django's check of the previous request's
# connection (request_started) is a query too (core/deadline.py).
application = bounded_wsgi(django_application)
