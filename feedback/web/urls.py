from django.urls import path

from feedback.web import views

urlpatterns = [
    path("me/", views.my_work, name="my_work"),
    path("check-ins/new/", views.check_in_create, name="check_in_create"),
    path("feedback/", views.feedback_list, name="feedback_list"),
    path("feedback/new/", views.feedback_create, name="feedback_create"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/acknowledge/", views.feedback_acknowledge, name="feedback_acknowledge"),
    path("feedback/<int:pk>/respond/", views.feedback_respond, name="feedback_respond"),
    path("feedback/<int:pk>/resolve/", views.feedback_resolve, name="feedback_resolve"),
    path("recognitions/new/", views.recognition_create, name="recognition_create"),
]
