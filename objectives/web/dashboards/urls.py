from django.urls import path

from execgap.web.placeholder import not_built
from objectives.web.dashboards import views

urlpatterns = [
    path("", views.health, name="health"),
    path("strategy/", not_built, name="strategy_map"),
    path("objectives/<int:pk>/", not_built, name="objective_detail"),
    path("initiatives/<int:pk>/", not_built, name="initiative_detail"),
]
