from django.urls import path

from execgap.web.export import csv_view
from feedback.web import exports, views

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
    # The tables of those pages as CSV (`execgap.web.export`), filtered as the page is.
    path("feedback.csv", csv_view(exports.FEEDBACK), name="feedback_list_csv"),
    path("me/tasks.csv", csv_view(exports.MY_TASKS), name="my_work_tasks_csv"),
    path("me/check-ins-due.csv", csv_view(exports.MY_CHECK_INS_DUE), name="my_work_due_csv"),
    path("me/raised.csv", csv_view(exports.MY_RAISED), name="my_work_raised_csv"),
    path("me/to-answer.csv", csv_view(exports.TO_ANSWER), name="my_work_to_answer_csv"),
    path(
        "me/recognitions-received.csv",
        csv_view(exports.MY_RECOGNITIONS_RECEIVED),
        name="my_work_received_csv",
    ),
    path("me/recognitions-given.csv", csv_view(exports.MY_RECOGNITIONS_GIVEN), name="my_work_given_csv"),
]
