from django.urls import path

from pledges.http import municipality, nation, public_page
from reports import api, feeds, views

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
    path("api/v1/kommuner/", national(api.api_municipalities), name="api_municipalities"),
    path("api/v1/loften/", national(api.api_pledges), name="api_pledges"),
    path("api/v1/ataganden/", national(api.api_commitments), name="api_commitments"),
    path("api/v1/aktiviteter/", national(api.api_activities), name="api_activities"),
    path("api/v1/trygghetsvandringar/", national(api.api_walks), name="api_walks"),
    path("api/v1/iakttagelser/", national(api.api_findings), name="api_findings"),
    path("oppna-data/", api.open_data, name="open_data"),
    path("oppna-data/aktiviteter.csv", national_stream(api.csv_activities), name="csv_activities"),
    path("oppna-data/ataganden.csv", national_stream(api.csv_commitments), name="csv_commitments"),
    path("oppna-data/loften.csv", national_stream(api.csv_pledges), name="csv_pledges"),
    path("oppna-data/trygghetsvandringar.csv", national_stream(api.csv_walks), name="csv_walks"),
    path("oppna-data/iakttagelser.csv", national_stream(api.csv_findings), name="csv_findings"),
    path("flode/", national(feeds.country_feed), name="feed"),
    path(
        "kommun/<slug:slug>/flode/",
        public_page(municipality)(feeds.municipality_feed),
        name="municipality_feed",
    ),
]
