"""One place that resolves what an actor may see and do.

Every model holding people's data declares a :class:`Scope` — how it relates to the org tree,
to an estate, to an organisation and to its own subject — and uses :class:`ScopedQuerySet`.
Every read for a request starts from ``Model.objects.visible_to(actor)``; objects outside the
actor's scope simply do not exist for them (views answer 404, exactly as for a missing id).
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from linli.core.roles import ESTATE, ORGANISATION, ROLES, UNIT


@dataclass(frozen=True)
class Scope:
    """Lookups from a model to the things a grant can target.

    ``unit``: path to an ``org.OrgUnit`` foreign key (grants on a unit reach everything below).
    ``estate`` / ``organisation``: path to an ``org.Estate`` / ``org.Organisation`` key.
    ``person`` / ``user`` / ``household``: path to the subject's own Person / User / Household,
    so that people see their own records (for ``self_perms`` only, default: the view perm).
    ``perm``: the permission ``visible_to`` checks by default, when it is not
    ``<app>.view_<model>`` (e.g. buildings are seen with ``org.view_estate``).
    ``reach_up``: grants *below* the row's unit reach it too (a grid worker sees the estates of
    their community; what is inside the estate stays filtered by its own scope).
    """

    unit: str | None = None
    estate: str | None = None
    organisation: str | None = None
    person: str | None = None
    user: str | None = None
    household: str | None = None
    self_perms: tuple[str, ...] | None = None
    perm: str | None = None
    reach_up: bool = False

    SELF = "."

    @property
    def path_lookup(self):
        """The lookup to the org-tree path, or None if the model does not hang off the tree."""
        if not self.unit:
            return None
        return "path" if self.unit == self.SELF else f"{self.unit}__path"


@dataclass(frozen=True)
class GrantInfo:
    role: str
    unit_id: int
    unit_path: str
    unit_kind: str
    estate_id: int | None
    organisation_id: int | None

    @property
    def target(self):
        return ROLES[self.role].target


class Actor:
    """The user behind a request, with their grants loaded once."""

    def __init__(self, user, focus_path=None, ip=None):
        self.user = user
        self.focus_path = focus_path
        self.ip = ip

    @property
    def is_authenticated(self):
        return bool(self.user and self.user.is_authenticated)

    @property
    def is_superuser(self):
        return self.is_authenticated and self.user.is_superuser

    @property
    def user_id(self):
        return self.user.pk if self.is_authenticated else None

    @cached_property
    def person_id(self):
        return getattr(self.user, "person_id", None) if self.is_authenticated else None

    @cached_property
    def household_ids(self):
        if not self.person_id:
            return []
        from linli.org.models import HouseholdMember

        return list(
            HouseholdMember.objects.filter(
                person_id=self.person_id, until__isnull=True
            ).values_list("household_id", flat=True)
        )

    @cached_property
    def grants(self):
        if not self.is_authenticated:
            return []
        from linli.accounts.models import RoleGrant

        rows = RoleGrant.objects.active().filter(user=self.user).select_related("unit")
        return [
            GrantInfo(g.role, g.unit_id, g.unit.path, g.unit.kind, g.estate_id, g.organisation_id)
            for g in rows
            if g.role in ROLES
        ]

    @cached_property
    def perms(self):
        perms = set()
        for grant in self.grants:
            perms |= ROLES[grant.role].perms
        return perms

    def has_perm(self, perm):
        """Whether the actor holds ``perm`` anywhere (for showing a menu or a button)."""
        return self.is_superuser or perm in self.perms

    @property
    def is_staff_user(self):
        return self.is_superuser or any(ROLES[g.role].staff for g in self.grants)

    def grants_with(self, perm):
        return [g for g in self.grants if perm in ROLES[g.role].perms]

    def unit_paths(self, perm):
        """The minimal set of org-tree prefixes under which ``perm`` holds."""
        paths = sorted({g.unit_path for g in self.grants_with(perm) if g.target == UNIT})
        minimal = []
        for path in paths:
            if not any(path.startswith(p) for p in minimal):
                minimal.append(path)
        return minimal

    def can(self, perm, obj):
        """Whether ``perm`` holds on this particular object (one query)."""
        model = type(obj)
        return model._default_manager.visible_to(self, perm).filter(pk=obj.pk).exists()

    def __repr__(self):
        return f"<Actor {self.user!r}>"


class SystemActor(Actor):
    """Jobs, imports run from the command line and the demo loader act as the system."""

    def __init__(self):
        super().__init__(None)

    is_authenticated = True
    is_superuser = True
    user_id = None
    person_id = None
    household_ids = ()
    grants = ()

    def __repr__(self):
        return "<Actor system>"


SYSTEM = SystemActor()


def scope_q(model, actor, perm):
    """The Q restricting ``model`` to what ``actor`` may ``perm``; None means everything."""
    if actor.is_superuser:
        return None
    spec: Scope = model.scope
    q = Q(pk__in=[])
    if spec.path_lookup:
        paths = actor.unit_paths(perm)
        for path in paths:
            q |= Q(**{f"{spec.path_lookup}__startswith": path})
        if spec.reach_up and paths:
            q |= Q(**{f"{spec.path_lookup}__in": _ancestor_paths(paths)})
    for grant in actor.grants_with(perm):
        if grant.target == ESTATE and spec.estate:
            q |= Q(**{spec.estate: grant.estate_id})
        elif grant.target == ORGANISATION and spec.organisation:
            q |= Q(**{spec.organisation: grant.organisation_id})
    self_perms = spec.self_perms or (default_perm(model),)
    if actor.is_authenticated and perm in self_perms:
        if spec.user:
            q |= Q(**{spec.user: actor.user_id})
        if spec.person and actor.person_id:
            q |= Q(**{spec.person: actor.person_id})
        if spec.household and actor.household_ids:
            q |= Q(**{f"{spec.household}__in": actor.household_ids})
    return q


def _ancestor_paths(paths):
    from linli.org.models import OrgUnit

    step = OrgUnit.steplen
    return sorted({p[:i] for p in paths for i in range(step, len(p), step)})


def default_perm(model):
    scope = getattr(model, "scope", None)
    if scope is not None and scope.perm:
        return scope.perm
    return f"{model._meta.app_label}.view_{model._meta.model_name}"


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, actor, perm=None):
        """Only the rows ``actor`` may see (or may ``perm``), narrowed to their focus unit."""
        perm = perm or default_perm(self.model)
        q = scope_q(self.model, actor, perm)
        qs = self if q is None else self.filter(q)
        spec = self.model.scope
        if actor.focus_path and spec.path_lookup:
            qs = qs.filter(**{f"{spec.path_lookup}__startswith": actor.focus_path})
        # Scope lookups follow foreign keys only (never to-many relations), so rows cannot
        # repeat and no DISTINCT is needed.
        return qs


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def get_visible_or_404(queryset_or_model, actor, perm=None, **lookup):
    """The one way to fetch a single object by request data."""
    qs = queryset_or_model
    if isinstance(qs, type):
        qs = qs._default_manager.all()
    try:
        return qs.visible_to(actor, perm).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def authorize(actor, perm, obj):
    """Allow ``perm`` on ``obj`` or refuse: 404 if the actor cannot even see it, else 403.

    Services call it first thing, and again after a write that moves an object, inside the
    transaction, so that nobody can move a thing out of reach of the rules that applied.
    """
    if actor.can(perm, obj):
        return
    if actor.can(default_perm(type(obj)), obj):
        raise PermissionDenied
    raise Http404


def require_perm(actor, perm):
    """For actions not tied to one object (e.g. opening an import page)."""
    if not actor.has_perm(perm):
        raise PermissionDenied
