from django.urls import path

from . import views

urlpatterns = [
    path("", views.commitment_calendar, name="commitment_calendar"),
    path("summary/", views.commitment_summary, name="commitment_summary"),
    path("feeds/", views.feed_settings, name="commitment_feeds"),
    path("feeds/<str:scope>/renew/", views.feed_renew, name="commitment_feed_renew"),
    path("feeds/<str:scope>/revoke/", views.feed_revoke, name="commitment_feed_revoke"),
    path("feed/<str:token>.ics", views.commitment_feed, name="commitment_feed"),
    path("<int:pk>/", views.commitment_detail, name="commitment_detail"),
    path("<int:pk>/status/", views.commitment_status, name="commitment_status"),
    path("<int:pk>/move/", views.commitment_move, name="commitment_move"),
]
