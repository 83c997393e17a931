"""Pages for logged-in staff under /personal/ (fast logging, imports)."""

app_name = "staff"

urlpatterns: list = []
