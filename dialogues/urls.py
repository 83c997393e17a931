from django.urls import path

from dialogues import views

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
        views.feedback_summary,
        name="feedback_summary",
    ),
    path(
        "kommun/<slug:slug>/trygghetsvandringar/",
        views.walk_list,
        name="walks",
    ),
    path(
        "kommun/<slug:slug>/dialoger/",
        views.dialogue_list,
        name="dialogues",
    ),
    path("trygghetsvandring/<id:pk>/", views.walk_detail, name="walk"),
    path("trygghetsvandring/anmalan/<str:token>/", views.signup_manage, name="signup"),
]
