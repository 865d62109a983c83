from django.urls import path

from . import editor_views, import_views, views

urlpatterns = [
    path("", views.postmortem_list, name="postmortem_list"),
    path("new/", editor_views.postmortem_new, name="postmortem_new"),
    path("check/", views.postmortem_check, name="postmortem_check"),
    # Two segments: no postmortem slug can take the address.
    path("filters/services/", views.service_names, name="service_names"),
    path("import/", import_views.postmortem_import, name="postmortem_import"),
    path("import/<int:pk>/", import_views.import_batch, name="import_batch"),
    path("import/<int:pk>/start/", import_views.import_batch_start, name="import_batch_start"),
    path("<slug:slug>/", views.postmortem_detail, name="postmortem_detail"),
    path("<slug:slug>/edit/", editor_views.postmortem_edit, name="postmortem_edit"),
    path("<slug:slug>/status/", views.postmortem_status, name="postmortem_status"),
    path("<slug:slug>/remove/", views.postmortem_remove, name="postmortem_remove"),
    path("<slug:slug>/bring-back/", views.postmortem_bring_back, name="postmortem_bring_back"),
    path("<slug:slug>/history/", views.postmortem_history, name="postmortem_history"),
    path("<slug:slug>/history/<int:number>/", views.revision_detail, name="revision_detail"),
    path(
        "<slug:slug>/history/<int:number>/restore/",
        views.revision_restore,
        name="revision_restore",
    ),
    path("<slug:slug>/export.md", views.postmortem_export, name="postmortem_export"),
]
