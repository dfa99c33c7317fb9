from django.urls import path

from .views import actions, imports, lists, participant, privacy

app_name = "participants"

urlpatterns = [
    path("", lists.ParticipantListView.as_view(), name="list"),
    path("export.<str:file_format>", lists.export_participants, name="export"),
    path("outcomes/", actions.bulk_outcome, name="bulk-outcome"),
    path("new/", participant.intake, name="intake"),
    path("group-activity/", participant.group_activity, name="group-activity"),
    path("import/", imports.import_upload, name="import"),
    path("import/template.csv", imports.import_template, name="import-template"),
    path("import/<int:pk>/", imports.import_status, name="import-status"),
    path("<int:pk>/", participant.detail, name="detail"),
    path("<int:pk>/edit/", participant.edit, name="edit"),
    path("<int:pk>/history/", participant.history, name="history"),
    path("<int:pk>/entries/", participant.add_entry, name="add-entry"),
    path("<int:pk>/outcome/<int:enrolment_pk>/", participant.outcome, name="outcome"),
    path("<int:pk>/end/<int:enrolment_pk>/", actions.end_enrolment, name="end-enrolment"),
    path("<int:pk>/consent/withdraw/", actions.withdraw_consent, name="withdraw-consent"),
    path("entries/<int:pk>/edit/", participant.edit_entry, name="entry-edit"),
    path("entries/<int:pk>/delete/", participant.delete_entry, name="entry-delete"),
    path("<int:pk>/export.<str:file_format>", privacy.data_export, name="data-export"),
    path("<int:pk>/anonymise/", privacy.anonymise, name="anonymise"),
]
