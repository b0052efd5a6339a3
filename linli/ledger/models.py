"""Double-entry accounts for points and time: every movement debits one account and credits
another of the same unit, so each unit sums to zero and every balance is the sum of its history.

The balance is stored on the account and changed in the same transaction as the transfer row,
under a row lock, so reading it costs one index lookup however long the history grows.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet
from linli.ledger.choices import HoldState, Unit


class Account(models.Model):
    unit = models.CharField(_("单位"), max_length=16, choices=Unit.choices)
    # System accounts (issuance, expiry, donation pools) have no owner and a code; owned accounts
    # may carry a code too when one owner needs several (e.g. a time bank per city).
    code = models.CharField(_("编码"), max_length=80, blank=True)
    person = models.ForeignKey(
        "org.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    organisation = models.ForeignKey(
        "org.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)
    # None: the account may go below zero without limit (issuance accounts).
    floor = models.BigIntegerField(_("下限"), null=True, blank=True, default=0)
    ceiling = models.BigIntegerField(_("上限"), null=True, blank=True)
    balance = models.BigIntegerField(_("余额"), default=0)
    held = models.BigIntegerField(_("冻结"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(
        unit="person__household__building__grid",
        estate="person__household__building__estate",
        organisation="organisation",
        person="person",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("账户")
        verbose_name_plural = _("账户")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit", "code"],
                condition=Q(person__isnull=False),
                name="ledger_account_person_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "unit", "code"],
                condition=Q(organisation__isnull=False),
                name="ledger_account_org_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=Q(person__isnull=True, organisation__isnull=True),
                name="ledger_account_system_unique",
            ),
            models.CheckConstraint(
                condition=~Q(person__isnull=False, organisation__isnull=False),
                name="ledger_account_one_owner",
            ),
            models.CheckConstraint(condition=Q(held__gte=0), name="ledger_account_held_positive"),
            models.CheckConstraint(
                condition=Q(floor__isnull=True) | Q(balance__gte=F("floor") + F("held")),
                name="ledger_account_floor",
                violation_error_message=_("余额不足"),
            ),
            models.CheckConstraint(
                condition=Q(ceiling__isnull=True) | Q(balance__lte=F("ceiling")),
                name="ledger_account_ceiling",
                violation_error_message=_("超过账户上限"),
            ),
        ]

    def __str__(self):
        owner = self.person or self.organisation or self.code
        return f"{owner} · {self.get_unit_display()}"

    @property
    def available(self):
        return self.balance - self.held


class Hold(models.Model):
    """A two-phase transfer: the amount is reserved on the debit account until posted or voided."""

    debit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="holds_out")
    credit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="holds_in")
    amount = models.BigIntegerField(_("冻结额"))
    state = models.CharField(
        _("状态"), max_length=16, choices=HoldState.choices, default=HoldState.PENDING
    )
    kind = models.CharField(_("类型"), max_length=40)
    memo = models.CharField(_("说明"), max_length=200, blank=True)
    rule = models.CharField(_("规则"), max_length=80, blank=True)
    rule_version = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=160, unique=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    scope = Scope(
        unit="debit__person__household__building__grid",
        organisation="debit__organisation",
        person="debit__person",
        perm="ledger.view_account",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("冻结")
        verbose_name_plural = _("冻结")
        indexes = [models.Index(fields=["state", "expires_at"], name="ledger_hold_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_hold_amount_positive"),
            models.CheckConstraint(condition=~Q(debit=F("credit")), name="ledger_hold_two_sides"),
        ]

    def __str__(self):
        return f"{self.debit_id}→{self.credit_id} {self.amount} ({self.state})"


class Transfer(models.Model):
    """Append-only. A correction is a new transfer in the other direction that ``reverses`` it."""

    debit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="debits")
    credit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="credits")
    amount = models.BigIntegerField(_("数额"))
    kind = models.CharField(_("类型"), max_length=40)
    memo = models.CharField(_("说明"), max_length=200, blank=True)
    rule = models.CharField(_("规则"), max_length=80, blank=True)
    rule_version = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=160, unique=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    hold = models.OneToOneField(
        Hold, null=True, blank=True, on_delete=models.PROTECT, related_name="transfer"
    )
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(db_index=True)

    scope = Scope(
        unit="debit__person__household__building__grid",
        organisation="debit__organisation",
        person="debit__person",
        perm="ledger.view_account",
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("转账")
        verbose_name_plural = _("转账")
        indexes = [
            models.Index(fields=["debit", "-created_at"], name="ledger_transfer_debit_idx"),
            models.Index(fields=["credit", "-created_at"], name="ledger_transfer_credit_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="ledger_transfer_amount_positive"
            ),
            models.CheckConstraint(
                condition=~Q(debit=F("credit")), name="ledger_transfer_two_sides"
            ),
        ]

    def __str__(self):
        return f"{self.debit_id}→{self.credit_id} {self.amount}"
