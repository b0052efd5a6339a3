from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from linli.core.idcard import mask_phone
from linli.core.roles import role_choices
from linli.core.scoping import Scope, ScopedQuerySet


class User(AbstractUser):
    """A login. Residents' users link to their Person; staff users may or may not."""

    phone = models.CharField(_("手机号"), max_length=20, unique=True, null=True, blank=True)
    person = models.OneToOneField(
        "org.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
        verbose_name=_("居民档案"),
    )
    large_text = models.BooleanField(_("大字模式"), default=False)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self):
        return (self.first_name or "").strip()

    @property
    def phone_masked(self):
        return mask_phone(self.phone or "")


class RoleGrantQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    """A role held by a user on a target: an org unit (and everything below it), an estate or an
    organisation. Revoking keeps the row for history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="grants",
        verbose_name=_("账号"),
    )
    role = models.CharField(_("角色"), max_length=32, choices=role_choices)
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="grants", verbose_name=_("单位")
    )
    estate = models.ForeignKey(
        "org.Estate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("小区"),
    )
    organisation = models.ForeignKey(
        "org.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("组织"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("授权人"),
    )
    granted_at = models.DateTimeField(_("授权时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("收回时间"), null=True, blank=True)

    scope = Scope(unit="unit", user="user", perm="accounts.view_user")
    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "estate", "organisation"],
                condition=Q(revoked_at__isnull=True),
                nulls_distinct=False,
                name="grant_unique_active",
                violation_error_message=_("该账号已拥有此角色"),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.target_name}"

    @property
    def target_name(self):
        if self.estate_id:
            return self.estate.name
        if self.organisation_id:
            return self.organisation.name
        return self.unit.name


class ApiToken(models.Model):
    """A bearer token for programs. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(user="user")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
