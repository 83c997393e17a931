from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

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
    # The site's own pages, and the admin's scoped "view on site" before the admin's own.
    path("", include("sitepages.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler404 = "sitepages.views.page_not_found"
handler500 = "sitepages.views.server_error"
