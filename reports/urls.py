from django.urls import path

from reports import api, feeds, views
from reports.resources import RESOURCES

app_name = "reports"

urlpatterns = [
    path("rapporter/", views.index, name="index"),
    path("rapporter/lofte/<id:pledge_id>/", views.pledge_report, name="pledge"),
    path("rapporter/oversikt/", views.overview, name="overview"),
    path("api/v1/", api.api_index, name="api_index"),
    path("api/v1/openapi.json", api.openapi_document, name="openapi"),
    path("api/v1/nationellt/", api.api_national, name="api_national"),
    *(
        path(
            f"api/v1/{resource.name}/",
            api.api_list,
            {"resource": resource},
            name=f"api_{resource.key}",
        )
        for resource in RESOURCES
    ),
    *(
        path(
            f"api/v1/{resource.name}/<str:value>/",
            api.api_detail,
            {"resource": resource},
            name=f"api_{resource.key}_detail",
        )
        for resource in RESOURCES
    ),
    path("oppna-data/", api.open_data, name="open_data"),
    path("oppna-data/katalog.rdf", api.catalogue_rdf, name="catalogue_rdf"),
    path("oppna-data/katalog.jsonld", api.catalogue_jsonld, name="catalogue_jsonld"),
    *(
        path(
            f"oppna-data/{resource.name}.csv",
            api.csv_download,
            {"resource": resource},
            name=f"csv_{resource.key}",
        )
        for resource in RESOURCES
        if resource.columns
    ),
    path("flode/", feeds.country_feed, name="feed"),
    path(
        "kommun/<slug:slug>/flode/",
        feeds.municipality_feed,
        name="municipality_feed",
    ),
]
