"""The project's URLs plus the benchmark's floor pages (ROOT_URLCONF of bench/settings.py)."""

from django.urls import include, path

from bench import views
from medborgarlofte import urls as project_urls

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("bench/floor-layout/", views.floor_layout, name="bench_floor_layout"),
    path("", include(project_urls)),
]

# Django looks the error handlers up on the ROOT_URLCONF module.
handler404 = project_urls.handler404
handler500 = project_urls.handler500
