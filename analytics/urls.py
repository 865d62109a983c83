from django.urls import path, register_converter

from . import views
from .periods import URL_PATTERN


class QuarterConverter:
    # Any review period: a quarter, a year or a date range (analytics.periods).
    regex = URL_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(QuarterConverter, "quarter")

urlpatterns = [
    path("", views.review_home, name="review_home"),
    path("<quarter:quarter>/", views.review_quarter, name="review_quarter"),
    path("<quarter:quarter>/start/", views.review_start, name="review_start"),
    path("<quarter:quarter>/progress/", views.review_progress, name="review_progress"),
    path("<quarter:quarter>/correct/", views.review_correct, name="review_correct"),
    path("<quarter:quarter>/pattern/", views.review_pattern, name="review_pattern"),
    path("<quarter:quarter>/patterns/", views.patterns_save, name="patterns_save"),
    path("<quarter:quarter>/patterns/edit/", views.patterns_edit, name="patterns_edit"),
    path("<quarter:quarter>/patterns/redraft/", views.patterns_redraft, name="patterns_redraft"),
    path("<quarter:quarter>/patterns/history/", views.patterns_history, name="patterns_history"),
    path(
        "<quarter:quarter>/patterns/history/<int:number>/",
        views.patterns_revision,
        name="patterns_revision",
    ),
    path(
        "<quarter:quarter>/patterns/history/<int:number>/restore/",
        views.patterns_restore,
        name="patterns_restore",
    ),
    path("<quarter:quarter>/patterns.md", views.patterns_export, name="patterns_export"),
]
