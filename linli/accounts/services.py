"""Every write to accounts, role grants and API tokens."""

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import ApiToken, RoleGrant, User
from linli.core import audit
from linli.core.idcard import parse_phone
from linli.core.roles import ESTATE, ORGANISATION, ROLES
from linli.core.scoping import authorize
from linli.org.choices import UnitKind


@transaction.atomic
def user_create(
    *, actor, username, password, name="", phone="", email="", person=None, check_password=True
):
    phone = parse_phone(phone) or None
    if check_password:
        validate_password(password)
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("用户名已被使用"))
    if phone and User.objects.filter(phone=phone).exists():
        raise ValidationError(_("该手机号已绑定其他账号"))
    user = User(username=username, first_name=name, phone=phone, email=email, person=person)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(actor, "accounts.user_create", user)
    return user


@transaction.atomic
def resident_account_create(*, actor, person, password, username=None, check_password=True):
    """Give a registered resident a login, with the resident role on their community."""
    authorize(actor, "org.change_person", person)
    if person.household_id is None:
        raise ValidationError(_("该居民没有登记住址，不能开通账号"))
    user = user_create(
        actor=actor,
        username=username or person.phone or f"r{person.pk}",
        password=password,
        name=person.name,
        phone=person.phone,
        person=person,
        check_password=check_password,
    )
    community = person.household.building.estate.community
    RoleGrant.objects.create(user=user, role="resident", unit=community, granted_by=actor.user)
    return user


def _highest_rank_over(actor, unit):
    ranks = [
        ROLES[g.role].rank
        for g in actor.grants_with("accounts.manage_grants")
        if unit.path.startswith(g.unit_path)
    ]
    return max(ranks, default=-1)


@transaction.atomic
def grant_role(*, actor, user, role, unit, estate=None, organisation=None):
    """Grant ``role`` on a target. Granters may only hand out roles below their own rank, and only
    inside their own scope."""
    if role not in ROLES:
        raise ValidationError(_("未知角色"))
    spec = ROLES[role]
    if spec.target == ESTATE:
        if estate is None:
            raise ValidationError(_("该角色须授予在小区上"))
        unit = estate.community
    elif spec.target == ORGANISATION:
        if organisation is None:
            raise ValidationError(_("该角色须授予在组织上"))
        unit = organisation.unit
    if unit.kind not in spec.unit_kinds:
        raise ValidationError(
            _("%(role)s只能授予在%(kinds)s上")
            % {
                "role": spec.label,
                "kinds": "、".join(str(UnitKind(k).label) for k in spec.unit_kinds),
            }
        )
    authorize(actor, "accounts.manage_grants", unit)
    if not actor.is_superuser and spec.rank >= _highest_rank_over(actor, unit):
        raise PermissionDenied(_("不能授予与自己同级或更高的角色"))
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(
                user=user,
                role=role,
                unit=unit,
                estate=estate,
                organisation=organisation,
                granted_by=actor.user,
            )
    except IntegrityError as exc:
        raise ValidationError(_("该账号已拥有此角色")) from exc
    audit.record(actor, "accounts.grant", grant, unit=unit, role=role, user=user.username)
    return grant


@transaction.atomic
def revoke_grant(*, actor, grant):
    authorize(actor, "accounts.manage_grants", grant.unit)
    if not actor.is_superuser and ROLES[grant.role].rank >= _highest_rank_over(actor, grant.unit):
        raise PermissionDenied(_("不能收回与自己同级或更高的角色"))
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at"])
    audit.record(
        actor, "accounts.revoke", grant, unit=grant.unit, role=grant.role, user=grant.user.username
    )
    return grant


def _hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, actor, user, name="", expires_at=None):
    """Create an API token; returns ``(token, key)``. The key is not stored and is shown once."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=_hash_key(key), prefix=key[:8], name=name, expires_at=expires_at
    )
    audit.record(actor, "accounts.token_issue", user, token=token.prefix)
    return token, key


def token_authenticate(key):
    """The active user behind a bearer key, or None."""
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash_key(key), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or not token.user.is_active or (token.expires_at and token.expires_at < now):
        return None
    # Recording last use at most once a minute keeps hot API clients from writing on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, actor, token):
    authorize(actor, "accounts.view_apitoken", token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def preferences_update(*, actor, large_text=None):
    user = actor.user
    if large_text is not None:
        user.large_text = bool(large_text)
        user.save(update_fields=["large_text"])
    return user
