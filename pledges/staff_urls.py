"""Pages for logged-in staff under /personal/ (fast logging, imports, preview)."""

from django.urls import path

from pledges import staff_views

app_name = "staff"

urlpatterns: list = [
    path("registrera/", staff_views.register, name="register"),
    path("registrera/<id:pk>/andra/", staff_views.edit_activity, name="edit_activity"),
    path("registrera/<id:pk>/angra/", staff_views.undo_activity, name="undo_activity"),
    path("importera/", staff_views.import_activities, name="import"),
    path("forhandsgranska/<id:pledge_id>/", staff_views.preview_pledge, name="preview"),
]
