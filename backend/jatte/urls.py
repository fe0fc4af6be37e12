"""HTTP routes: the admin, a health probe, uploads and files, and the development-only token endpoint."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, path

from chat import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz),
    path("api/channels/<str:channel_type>/<str:channel_id>/image", views.upload_image),
    path("api/channels/<str:channel_type>/<str:channel_id>/file", views.upload_file),
    path("api/files/<str:upload_id>/<str:variant>/<str:name>", views.serve_file),
]
if settings.DEBUG:
    urlpatterns.append(path("api/dev/token", views.dev_token))
