"""/api/v1/orgs/{org}/scores/...: the snapshot reads and the recompute request; signals/ and
capacity/cut-line/."""

from django.urls import re_path

from scoring.api import cut_line, nodes, signals, views

ORG = r"^orgs/(?P<org>[-\w]+)/scores/"

urlpatterns = [
    re_path(rf"{ORG}$", views.LatestScoresView.as_view(), name="scores"),
    re_path(rf"{ORG}objectives/$", nodes.ObjectiveScoresView.as_view(), name="scores-objectives"),
    re_path(rf"{ORG}initiatives/$", nodes.InitiativeScoresView.as_view(), name="scores-initiatives"),
    re_path(rf"{ORG}teams/$", nodes.TeamScoresView.as_view(), name="scores-teams"),
    re_path(rf"{ORG}drivers/$", views.DriversView.as_view(), name="scores-drivers"),
    re_path(rf"{ORG}history/$", views.HistoryView.as_view(), name="scores-history"),
    re_path(rf"{ORG}recompute/$", views.RecomputeView.as_view(), name="scores-recompute"),
    re_path(r"^orgs/(?P<org>[-\w]+)/signals/$", signals.SignalsView.as_view(), name="signals"),
    re_path(r"^orgs/(?P<org>[-\w]+)/capacity/cut-line/$", cut_line.CutLineView.as_view(), name="cut-line"),
]
