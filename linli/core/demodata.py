"""The demo loader: each app's ``demo.py`` adds its part, in ``ORDER``, to one context.

DESIGN.md §6: one street per place named in the seed, each showing its practice. The foundation
(org) builds all eight streets with their people; later modules add their objects and logins.
"""

import random
from dataclasses import dataclass, field

from django.db import transaction
from faker import Faker

from linli.core.registry import app_module, linli_apps

DEMO_PASSWORD = "linli-demo-2026"


@dataclass
class Login:
    username: str
    role: str
    where: str


@dataclass
class DemoContext:
    rng: random.Random = field(default_factory=lambda: random.Random(20261128))
    faker: Faker = field(default_factory=lambda: Faker("zh_CN"))
    password: str = DEMO_PASSWORD
    logins: list = field(default_factory=list)
    log: object = print

    def __post_init__(self):
        self.faker.seed_instance(20261128)

    def add_login(self, username, role, where):
        self.logins.append(Login(username, str(role), str(where)))


def demo_loaded():
    from linli.org.models import OrgUnit

    return OrgUnit.objects.exists()


def loaders(only=None):
    found = []
    for config in linli_apps():
        if only and config.label not in only:
            continue
        module = app_module(config, "demo")
        if module is not None:
            found.append((getattr(module, "ORDER", 100), config.label, module))
    return sorted(found, key=lambda item: (item[0], item[1]))


def load_all(only=None, log=print):
    ctx = DemoContext(log=log)
    for _order, label, module in loaders(only):
        log(f"Loading demo: {label}")
        with transaction.atomic():
            module.load(ctx)
    return ctx
