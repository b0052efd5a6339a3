import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from linli.core.scoping import Scope, ScopedQuerySet

from .choices import AlarmStatus, CredentialKind, NoteKind, Resolution, Severity


def new_secret():
    return secrets.token_hex(16)


class DeviceProfile(models.Model):
    """A kind of device and its defaults: alarm rules by event type and the inactivity timeout.

    ``rules`` maps an event type to a rule: ``{"smoke": {"severity": "critical"}}`` (simple),
    ``{"denied": {"severity": "major", "count": 5, "window_s": 120}}`` (repeating),
    ``{"door_open": {"severity": "minor", "min_duration_s": 600, "night_only": true}}``
    (duration, from ``data.duration_s``). Any rule may carry ``"schedule": {"from": "23:00",
    "to": "05:00", "days": [1, 2, 3, 4, 5]}`` and then fires only inside it (``night_only`` is
    22:00–06:00). No-data rules live in ``silence_hours``.
    """

    code = models.SlugField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    rules = models.JSONField(_("告警规则"), default=dict, blank=True)
    inactivity_s = models.PositiveIntegerField(_("离线超时(秒)"), default=600)
    silence_hours = models.PositiveSmallIntegerField(_("无数据告警(小时)"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("设备类型")

    def __str__(self):
        return self.name


class Device(models.Model):
    community = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    estate = models.ForeignKey(
        "org.Estate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    building = models.ForeignKey(
        "org.Building", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        "org.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    place = models.CharField(_("位置"), max_length=100, blank=True)
    profile = models.ForeignKey(DeviceProfile, on_delete=models.PROTECT, verbose_name=_("类型"))
    code = models.SlugField(_("设备编号"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    secret = models.CharField(max_length=64, default=new_secret, editable=False)
    rules = models.JSONField(_("规则覆盖"), default=dict, blank=True)
    inactivity_s = models.PositiveIntegerField(_("离线超时覆盖(秒)"), null=True, blank=True)
    # The elder a water meter watches (care alerts): a reference, no other personal data.
    watched_person = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    online = models.BooleanField(_("在线"), default=False)
    last_seen = models.DateTimeField(_("最后上报"), null=True, blank=True)
    last_data = models.DateTimeField(_("最后有效数据"), null=True, blank=True)
    battery = models.PositiveSmallIntegerField(_("电量%"), null=True, blank=True)

    scope = Scope(unit="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("设备")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def rule_for(self, event_type):
        rule = dict(self.profile.rules.get(event_type) or {})
        rule.update(self.rules.get(event_type) or {})
        return rule or None

    @property
    def timeout_s(self):
        return self.inactivity_s or self.profile.inactivity_s


class Event(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(max_length=64)
    type = models.CharField(_("类型"), max_length=32)
    data = models.JSONField(default=dict, blank=True)
    ts = models.DateTimeField(_("发生时间"))
    received_at = models.DateTimeField(_("接收时间"))

    scope = Scope(unit="device__community", perm="security.view_device")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-ts"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "event_id"],
                name="security_event_once",
                violation_error_message=_("事件已接收"),
            )
        ]

    def __str__(self):
        return f"{self.device_id}:{self.event_id}"


class DeadLetter(models.Model):
    community = models.ForeignKey(
        "org.OrgUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(max_length=200)
    payload = models.TextField()
    reason = models.CharField(_("原因"), max_length=200)
    received_at = models.DateTimeField()

    scope = Scope(unit="community", perm="security.view_device")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.topic}: {self.reason}"


class Alarm(models.Model):
    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="alarms")
    community = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(_("类型"), max_length=32)
    severity = models.CharField(_("级别"), max_length=16, choices=Severity.choices)
    status = models.CharField(
        _("状态"), max_length=16, choices=AlarmStatus.choices, default=AlarmStatus.OPEN
    )
    repeat_count = models.PositiveIntegerField(_("次数"), default=1)
    first_at = models.DateTimeField(_("首次"))
    last_at = models.DateTimeField(_("最近"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(
        _("处置结果"), max_length=16, choices=Resolution.choices, blank=True
    )
    resolution_note = models.CharField(_("原因说明"), max_length=200, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # How many levels above the community have been called (conf.ESCALATION_S).
    escalation_level = models.PositiveSmallIntegerField(default=0)
    external_ref = models.CharField(max_length=100, blank=True)

    scope = Scope(unit="community")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-last_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "type"],
                condition=~Q(status="closed"),
                name="security_alarm_one_open",
                violation_error_message=_("该设备已有同类未关闭告警"),
            )
        ]
        verbose_name = _("告警")

    def __str__(self):
        return f"{self.get_type_display()} · {self.device.name}"

    def get_type_display(self):
        return EVENT_LABELS.get(self.type, self.type)


EVENT_LABELS = {
    "smoke": _("烟雾"),
    "gas": _("燃气泄漏"),
    "fire": _("火警"),
    "sos": _("紧急呼叫"),
    "door_open": _("门长时间开启"),
    "denied": _("多次刷卡失败"),
    "intrusion": _("区域入侵"),
    "offline": _("设备离线"),
    "water_silence": _("用水异常(独居老人)"),
    "tamper": _("设备被拆"),
    "loitering": _("夜间徘徊逗留"),
}


class AlarmNote(models.Model):
    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField(_("内容"), max_length=500, blank=True)
    at = models.DateTimeField()

    scope = Scope(unit="alarm__community", perm="security.view_alarm")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.kind} {self.text}"


class Incident(models.Model):
    """A confirmed fire (or other real incident) on record, from a closed alarm."""

    alarm = models.OneToOneField(Alarm, on_delete=models.PROTECT, related_name="incident")
    community = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    at = models.DateTimeField()

    scope = Scope(unit="community", perm="security.view_alarm")
    objects = ScopedQuerySet.as_manager()

    def __str__(self):
        return self.title


_person_scope = dict(
    unit="person__household__building__grid",
    estate="person__household__building__estate",
    person="person",
)


class Credential(models.Model):
    """One way into the gates. For a face this is only a reference to the template held on the
    gate device plus the separate consent: no image or template ever enters the platform."""

    person = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("方式"), max_length=8, choices=CredentialKind.choices)
    reference = models.CharField(_("卡号/引用"), max_length=100, blank=True)
    consent_at = models.DateTimeField(_("单独同意时间"), null=True, blank=True)
    guardian_name = models.CharField(_("监护人"), max_length=50, blank=True)
    devices = models.ManyToManyField(Device, blank=True, related_name="+")
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    scope = Scope(**_person_scope)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=CredentialKind.FACE) | Q(consent_at__isnull=False),
                name="security_face_needs_consent",
                violation_error_message=_("人脸录入需要单独同意"),
            )
        ]

    def __str__(self):
        return self.get_kind_display()


class AccessLog(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=8, choices=CredentialKind.choices)
    granted = models.BooleanField()
    at = models.DateTimeField(db_index=True)

    scope = Scope(unit="device__community", perm="security.view_device")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.device_id} {self.at:%Y-%m-%d %H:%M}"


class VisitorPass(models.Model):
    community = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    host = models.ForeignKey("org.Person", on_delete=models.CASCADE, related_name="+")
    visitor_name = models.CharField(_("访客姓名"), max_length=50)
    code = models.CharField(max_length=32, unique=True, default=new_secret, editable=False)
    valid_from = models.DateTimeField(_("开始"))
    valid_until = models.DateTimeField(_("结束"))
    used_at = models.DateTimeField(_("首次通行"), null=True, blank=True)
    created_at = models.DateTimeField()

    scope = Scope(unit="community", person="host")
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("valid_from")),
                name="security_pass_window",
                violation_error_message=_("结束时间须晚于开始时间"),
            )
        ]

    def __str__(self):
        return self.visitor_name
