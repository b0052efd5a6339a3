"""Discovery of what each Linli app contributes: pages, API routers, navigation, sockets, demo data.

A module plugs in by being listed in INSTALLED_APPS and providing, as it needs them:

* ``urls.py`` with ``console_urls`` (mounted at ``/console/<label>/``, namespace
  ``console:<label>``), ``resident_urls`` (``/m/<label>/``, ``m:<label>``), ``public_urls``
  (``/<label>/``, ``<label>``) and ``root_urls`` (mounted at the site root, e.g. Open311);
* ``api.py`` with a Ninja ``router`` (mounted at ``/api/v1/<label>/``);
* ``routing.py`` with ``websocket_urlpatterns``;
* ``embedded.py`` with ``start()``: in-process services ``linli serve`` starts when there is no
  Redis (the embedded default), e.g. a message consumer;
* ``permissions.py`` (see :mod:`linli.core.roles`);
* ``demo.py`` with ``load(ctx)`` and an integer ``ORDER``;
* on its AppConfig, ``console_nav`` and ``resident_nav`` lists of :class:`NavItem`.
"""

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str | None = None
    order: int = 100


def linli_apps():
    return [c for c in apps.get_app_configs() if c.name.startswith("linli.")]


def app_module(config, name):
    """Import ``<app>.<name>`` if the app has such a module, else None."""
    dotted = f"{config.name}.{name}"
    if find_spec(dotted) is None:
        return None
    return import_module(dotted)


def nav_items(actor, attr):
    items = []
    for config in linli_apps():
        for item in getattr(config, attr, ()):
            if item.perm is None or actor.has_perm(item.perm):
                items.append(item)
    return sorted(items, key=lambda i: i.order)


def websocket_urlpatterns():
    patterns = []
    for config in linli_apps():
        module = app_module(config, "routing")
        if module is not None:
            patterns.extend(module.websocket_urlpatterns)
    return patterns


def start_embedded():
    for config in linli_apps():
        module = app_module(config, "embedded")
        if module is not None:
            module.start()
