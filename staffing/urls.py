from django.urls import path

from staffing import views, views_calls

app_name = "staffing"

urlpatterns = [
    path("", views.index, name="index"),
    path("queues/<str:section>/", views.QueueView.as_view(), name="queue"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("work-items/<int:pk>/", views.work_item, name="work_item"),
    path(
        "work-items/<int:pk>/assign-to-me/",
        views.work_item_assign_to_me,
        name="work_item_assign_to_me",
    ),
    path("next/", views.work_item_next, name="work_item_next"),
    path("work-items/<int:pk>/assign/", views.work_item_assign, name="work_item_assign"),
    path("work-items/<int:pk>/transfer/", views.work_item_transfer, name="work_item_transfer"),
    path("work-items/<int:pk>/notes/", views.work_item_note, name="work_item_note"),
    path("work-items/<int:pk>/close/", views.work_item_close, name="work_item_close"),
    path("complaints/", views.ComplaintListView.as_view(), name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", views.complaint, name="complaint"),
    path("complaints/<int:pk>/<str:action>/", views.complaint_act, name="complaint_act"),
    path("spot-checks/", views.SpotCheckListView.as_view(), name="spot_checks"),
    path("spot-checks/<str:subject>/<int:object_id>/", views.spot_check, name="spot_check"),
    path("supervision/", views.supervision, name="supervision"),
    path("aging/", views.aging, name="aging"),
    path("dashboards/<str:section>/", views.dashboard, name="dashboard"),
    # The approvals inbox
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<str:kind>/<int:pk>/decide/", views.approval_decide, name="approval_decide"),
]

# Contact-center service levels (docs/contact_center.md)
urlpatterns += [
    path("service-levels/", views_calls.ServiceLevelsView.as_view(), name="service_levels"),
    path("service-levels/import/", views_calls.intervals_upload, name="intervals_import"),
]
