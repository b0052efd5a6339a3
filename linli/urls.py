"""URL map assembled from what each app provides (see linli.core.registry)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from linli.api import api
from linli.core import views as core_views
from linli.core.registry import app_module, linli_apps


def _collect():
    console, resident, public, root = [], [], [], []
    for config in linli_apps():
        module = app_module(config, "urls")
        if module is None:
            continue
        label = config.label
        if hasattr(module, "console_urls"):
            console.append(path(f"{label}/", include((module.console_urls, label))))
        if hasattr(module, "resident_urls"):
            resident.append(path(f"{label}/", include((module.resident_urls, label))))
        if hasattr(module, "public_urls"):
            public.append(path(f"{label}/", include((module.public_urls, label))))
        root.extend(getattr(module, "root_urls", []))
    return console, resident, public, root


_console, _resident, _public, _root = _collect()

urlpatterns = [
    path("", core_views.home, name="home"),
    path(
        "console/",
        include(([path("", core_views.console_home, name="home"), *_console], "console")),
    ),
    path("m/", include(([path("", core_views.resident_home, name="home"), *_resident], "m"))),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    *_public,
    *_root,
    path("media/<path:path>", core_views.media, name="media"),
]

if settings.DEBUG:
    urlpatterns.append(path("dev-media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
