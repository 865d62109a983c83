from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from postmortems.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("postmortems/", include("postmortems.urls")),
    path("review/", include("analytics.urls")),
    path("commitments/", include("commitments.urls")),
]
