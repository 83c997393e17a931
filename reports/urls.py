from django.urls import path

from pledges.http import municipality, nation, public_page
from reports import api, feeds, views
from reports.resources import RESOURCES

# Open data and feeds are public pages too: validators from the content versions, and the
# rendered answer cached per version (CSV downloads stay streams: validators only).
national = public_page(nation)
national_stream = public_page(nation, store=False)

app_name = "reports"

urlpatterns = [
    path("rapporter/", views.index, name="index"),
    path("rapporter/lofte/<int:pledge_id>/", views.pledge_report, name="pledge"),
    path("rapporter/oversikt/", views.overview, name="overview"),
    path("api/v1/", api.api_index, name="api_index"),
    path("api/v1/openapi.json", api.openapi_document, name="openapi"),
    *(
        path(
            f"api/v1/{resource.name}/",
            national(api.api_list),
            {"resource": resource},
            name=f"api_{resource.key}",
        )
        for resource in RESOURCES
    ),
    *(
        path(
            f"api/v1/{resource.name}/<str:value>/",
            national(api.api_detail),
            {"resource": resource},
            name=f"api_{resource.key}_detail",
        )
        for resource in RESOURCES
    ),
    path("oppna-data/", api.open_data, name="open_data"),
    path("oppna-data/katalog.rdf", national(api.catalogue_rdf), name="catalogue_rdf"),
    path("oppna-data/katalog.jsonld", national(api.catalogue_jsonld), name="catalogue_jsonld"),
    *(
        path(
            f"oppna-data/{resource.name}.csv",
            national_stream(api.csv_download),
            {"resource": resource},
            name=f"csv_{resource.key}",
        )
        for resource in RESOURCES
        if resource.columns
    ),
    path("flode/", national(feeds.country_feed), name="feed"),
    path(
        "kommun/<slug:slug>/flode/",
        public_page(municipality)(feeds.municipality_feed),
        name="municipality_feed",
    ),
]
