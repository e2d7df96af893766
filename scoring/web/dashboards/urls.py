from django.urls import path

from scoring.web.dashboards import views

urlpatterns = [
    path("", views.health, name="health"),
    path("strategy/", views.strategy_map, name="strategy_map"),
    path("strategy/level/", views.strategy_map_level, name="strategy_map_level"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective_detail"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
]
