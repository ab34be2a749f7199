from django.urls import path

from staffing.views import complaints, dashboards, queues, service_levels, spot_checks

app_name = "staffing"

urlpatterns = [
    path("", queues.index, name="index"),
    path("queues/<str:section>/", queues.QueueView.as_view(), name="queue"),
    path("callbacks/", queues.callbacks, name="callbacks"),
    path("work-items/<int:pk>/", queues.work_item, name="work_item"),
    path(
        "work-items/<int:pk>/assign-to-me/",
        queues.work_item_assign_to_me,
        name="work_item_assign_to_me",
    ),
    path("next/", queues.work_item_next, name="work_item_next"),
    path("work-items/<int:pk>/assign/", queues.work_item_assign, name="work_item_assign"),
    path("work-items/<int:pk>/transfer/", queues.work_item_transfer, name="work_item_transfer"),
    path("work-items/<int:pk>/notes/", queues.work_item_note, name="work_item_note"),
    path("work-items/<int:pk>/close/", queues.work_item_close, name="work_item_close"),
    path("complaints/", complaints.ComplaintListView.as_view(), name="complaints"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("complaints/<int:pk>/", complaints.complaint, name="complaint"),
    path("complaints/<int:pk>/<str:action>/", complaints.complaint_act, name="complaint_act"),
    path("spot-checks/", spot_checks.SpotCheckListView.as_view(), name="spot_checks"),
    path("spot-checks/<str:subject>/<int:object_id>/", spot_checks.spot_check, name="spot_check"),
    path("supervision/", queues.supervision, name="supervision"),
    path("aging/", queues.aging, name="aging"),
    path("dashboards/<str:section>/", dashboards.dashboard, name="dashboard"),
    # The approvals inbox
    path("approvals/", queues.approvals, name="approvals"),
    path("approvals/<str:kind>/<int:pk>/decide/", queues.approval_decide, name="approval_decide"),
]

# Contact-center service levels (docs/contact_center.md)
urlpatterns += [
    path("service-levels/", service_levels.ServiceLevelsView.as_view(), name="service_levels"),
    path("service-levels/import/", service_levels.intervals_upload, name="intervals_import"),
]
