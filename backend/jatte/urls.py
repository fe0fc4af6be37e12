"""HTTP routes: the admin, a health probe and the development-only token endpoint."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, path

from chat import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz),
]
if settings.DEBUG:
    urlpatterns.append(path("api/dev/token", views.dev_token))
