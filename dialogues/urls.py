from django.urls import path

from dialogues import views
from pledges.http import municipality, public_page

app_name = "dialogues"

urlpatterns = [
    path("kommun/<slug:slug>/synpunkt/", views.feedback_form, name="feedback_form"),
    path(
        "kommun/<slug:slug>/synpunkt/kvitto/<str:token>/",
        views.feedback_receipt,
        name="feedback_receipt",
    ),
    path(
        "kommun/<slug:slug>/synpunkter/",
        public_page(municipality)(views.feedback_summary),
        name="feedback_summary",
    ),
    path(
        "kommun/<slug:slug>/trygghetsvandringar/",
        public_page(municipality)(views.walk_list),
        name="walks",
    ),
    path(
        "kommun/<slug:slug>/dialoger/",
        public_page(municipality)(views.dialogue_list),
        name="dialogues",
    ),
    path("trygghetsvandring/<int:pk>/", views.walk_detail, name="walk"),
    path("trygghetsvandring/anmalan/<str:token>/", views.signup_manage, name="signup"),
]
