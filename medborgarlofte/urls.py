from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from medborgarlofte import views
from pledges.documents import pledge_document

admin.site.site_header = "Medborgarlöfte – administration"
admin.site.site_title = "Medborgarlöfte"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", include("pledges.urls")),
    path("", include("dialogues.urls")),
    path("personal/", include("pledges.staff_urls")),
    path("konto/", include("accounts.urls")),
    path("", include("reports.urls")),
    path("", include("alerts.urls")),
    path("dokument/<int:pledge_id>/", pledge_document, name="pledge_document"),
    path("om/", views.about, name="about"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # Before the admin's own /admin/r/, which ignores the staff scope.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(views.admin_view_on_site),
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "medborgarlofte.views.page_not_found"
handler500 = "medborgarlofte.views.server_error"
