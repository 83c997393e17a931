from django.urls import path

from reports import api, feeds, views

app_name = "reports"

urlpatterns = [
    path("rapporter/", views.index, name="index"),
    path("rapporter/lofte/<int:pledge_id>/", views.pledge_report, name="pledge"),
    path("rapporter/oversikt/", views.overview, name="overview"),
    path("api/v1/", api.api_index, name="api_index"),
    path("api/v1/kommuner/", api.api_municipalities, name="api_municipalities"),
    path("api/v1/loften/", api.api_pledges, name="api_pledges"),
    path("api/v1/ataganden/", api.api_commitments, name="api_commitments"),
    path("api/v1/aktiviteter/", api.api_activities, name="api_activities"),
    path("api/v1/trygghetsvandringar/", api.api_walks, name="api_walks"),
    path("api/v1/iakttagelser/", api.api_findings, name="api_findings"),
    path("oppna-data/", api.open_data, name="open_data"),
    path("oppna-data/aktiviteter.csv", api.csv_activities, name="csv_activities"),
    path("oppna-data/ataganden.csv", api.csv_commitments, name="csv_commitments"),
    path("oppna-data/loften.csv", api.csv_pledges, name="csv_pledges"),
    path("oppna-data/trygghetsvandringar.csv", api.csv_walks, name="csv_walks"),
    path("oppna-data/iakttagelser.csv", api.csv_findings, name="csv_findings"),
    path("flode/", feeds.country_feed, name="feed"),
    path("kommun/<slug:slug>/flode/", feeds.municipality_feed, name="municipality_feed"),
]
