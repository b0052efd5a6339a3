"""Every write of the security module: devices, alarms and their lifecycle, access, visitors."""

import secrets
from datetime import time, timedelta

from django.contrib.auth.hashers import get_hashers_by_algorithm, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from linli.accounts.models import RoleGrant
from linli.core import audit
from linli.core.notify import notify
from linli.core.scoping import SYSTEM, authorize, require_perm
from linli.org.models import OrgUnit

from . import bridges, conf, live
from .choices import (
    GATE_PROFILES,
    NON_FACE,
    SEVERITY_RANK,
    AlarmStatus,
    CredentialKind,
    NoteKind,
    Resolution,
    Severity,
)
from .models import (
    Alarm,
    AlarmNote,
    Credential,
    Device,
    DeviceProfile,
    Incident,
    VisitorPass,
    new_secret,
)

PROFILES = {
    "camera": (
        "摄像机",
        {
            "intrusion": {"severity": "major"},
            "tamper": {"severity": "major"},
            # Someone lingering is only worth an alarm in the small hours.
            "loitering": {"severity": "minor", "schedule": {"from": "23:00", "to": "05:00"}},
        },
    ),
    "gate": (
        "门禁",
        {"denied": {"severity": "major", "count": 5, "window_s": 120}},
    ),
    "face_terminal": (
        "人脸识别终端",
        {"denied": {"severity": "minor", "count": 5, "window_s": 120}},
    ),
    "smoke": ("烟感", {"smoke": {"severity": "critical"}, "fire": {"severity": "critical"}}),
    "gas": ("燃气探测器", {"gas": {"severity": "critical"}}),
    "door_sensor": (
        "门磁",
        {"door_open": {"severity": "minor", "min_duration_s": 600, "night_only": True}},
    ),
    "water_meter": ("智能水表", {}),
    "sos": ("紧急呼叫按钮", {"sos": {"severity": "critical"}}),
}


def profiles_ensure():
    """The default device profiles (idempotent; tests and demo call it)."""
    for code, (name, rules) in PROFILES.items():
        DeviceProfile.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "rules": rules,
                "silence_hours": 12 if code == "water_meter" else None,
                "inactivity_s": 3600 if code == "water_meter" else 600,
            },
        )


@transaction.atomic
def device_register(
    *,
    actor,
    community,
    profile,
    code,
    name,
    estate=None,
    building=None,
    household=None,
    place="",
    watched_person=None,
    inactivity_s=None,
    rules=None,
):
    require_perm(actor, "security.manage_device")
    if not actor.can("org.view_orgunit", community):
        raise ValidationError(_("无权在该社区登记设备"))
    device_placement_check(
        community=community,
        profile=profile,
        estate=estate,
        building=building,
        household=household,
        watched_person=watched_person,
    )
    device = Device(
        community=community,
        profile=profile,
        code=code,
        name=name,
        estate=estate,
        building=building,
        household=household,
        place=place,
        watched_person=watched_person,
        inactivity_s=inactivity_s,
        rules=rules or {},
    )
    device.full_clean()
    device.save()
    audit.record(actor, "security.device_register", device, code=code)
    return device


# --- Alarms -------------------------------------------------------------------------------


def alarm_raise(*, device, type, severity, at, external_ref=""):
    """Open an alarm, or bump the open one of the same (device, type): repeat count, last time,
    severity raised if higher. Called by the ingest and jobs (system actor), in their
    transaction; the unique constraint settles two ingest processes racing for the first one."""
    for _attempt in range(2):
        alarm = (
            Alarm.objects.select_for_update()
            .filter(device=device, type=type)
            .exclude(status=AlarmStatus.CLOSED)
            .first()
        )
        if alarm is not None:
            alarm.repeat_count += 1
            alarm.last_at = max(alarm.last_at, at)
            if SEVERITY_RANK[severity] > SEVERITY_RANK[alarm.severity]:
                alarm.severity = severity
            if alarm.status == AlarmStatus.CLEARED:
                alarm.status = (
                    AlarmStatus.OPEN if not alarm.acknowledged_at else (AlarmStatus.ACKNOWLEDGED)
                )
                alarm.cleared_at = None
            alarm.save()
            live.alarm_changed(alarm)
            return alarm, False
        try:
            with transaction.atomic():
                alarm = Alarm.objects.create(
                    device=device,
                    community_id=device.community_id,
                    type=type,
                    severity=severity,
                    first_at=at,
                    last_at=at,
                    external_ref=external_ref,
                )
        except IntegrityError:
            continue
        live.alarm_changed(alarm)
        return alarm, True
    raise RuntimeError("alarm_raise: could not open or find the alarm")


def _note(alarm, actor, kind, text="", now=None):
    author = None if actor is SYSTEM else actor.user
    AlarmNote.objects.create(
        alarm=alarm, kind=kind, author=author, text=text, at=now or timezone.now()
    )


def _locked(alarm):
    return Alarm.objects.select_for_update().get(pk=alarm.pk)


@transaction.atomic
def alarm_acknowledge(*, actor, alarm, now=None):
    authorize(actor, "security.handle_alarm", alarm)
    alarm = _locked(alarm)
    now = now or timezone.now()
    if alarm.status == AlarmStatus.CLOSED:
        raise ValidationError(_("告警已关闭"))
    if alarm.acknowledged_at is None:
        alarm.acknowledged_at = now
        alarm.acknowledged_by = actor.user
        if alarm.status == AlarmStatus.OPEN:
            alarm.status = AlarmStatus.ACKNOWLEDGED
        alarm.save()
        _note(alarm, actor, NoteKind.ACK, now=now)
        audit.record(actor, "security.alarm_acknowledge", alarm)
        live.alarm_changed(alarm)
    return alarm


@transaction.atomic
def alarm_assign(*, actor, alarm, assignee, now=None):
    authorize(actor, "security.handle_alarm", alarm)
    alarm = _locked(alarm)
    alarm.assignee = assignee
    alarm.save()
    _note(alarm, actor, NoteKind.ASSIGN, str(assignee), now=now)
    live.alarm_changed(alarm)
    return alarm


@transaction.atomic
def alarm_comment(*, actor, alarm, text, now=None):
    authorize(actor, "security.handle_alarm", alarm)
    if not text.strip():
        raise ValidationError(_("请填写备注"))
    _note(alarm, actor, NoteKind.COMMENT, text.strip()[:500], now=now)
    return alarm


@transaction.atomic
def alarm_clear(*, actor, alarm, now=None):
    authorize(actor, "security.handle_alarm", alarm)
    alarm = _locked(alarm)
    if alarm.status == AlarmStatus.CLOSED:
        raise ValidationError(_("告警已关闭"))
    alarm.status = AlarmStatus.CLEARED
    alarm.cleared_at = now or timezone.now()
    alarm.save()
    _note(alarm, actor, NoteKind.CLEAR, now=now)
    live.alarm_changed(alarm)
    return alarm


@transaction.atomic
def alarm_close(*, actor, alarm, resolution, note="", now=None):
    """Close with a resolution code; a false alarm needs its cause (GB 25201); a real fire is
    put on record as an incident."""
    authorize(actor, "security.handle_alarm", alarm)
    alarm = _locked(alarm)
    now = now or timezone.now()
    if alarm.status == AlarmStatus.CLOSED:
        raise ValidationError(_("告警已关闭"))
    if resolution not in Resolution.values:
        raise ValidationError(_("请选择处置结果"))
    if resolution == Resolution.FALSE and not note.strip():
        raise ValidationError(_("误报须填写原因"))
    if alarm.acknowledged_at is None:
        alarm.acknowledged_at = now
        alarm.acknowledged_by = actor.user
    alarm.status = AlarmStatus.CLOSED
    alarm.closed_at = now
    alarm.cleared_at = alarm.cleared_at or now
    alarm.resolution = resolution
    alarm.resolution_note = note.strip()[:200]
    alarm.save()
    _note(alarm, actor, NoteKind.CLOSE, f"{resolution} {note}".strip(), now=now)
    if resolution == Resolution.REAL and alarm.type in {"smoke", "fire"}:
        Incident.objects.create(
            alarm=alarm,
            community_id=alarm.community_id,
            at=now,
            title=_("火警：%(device)s") % {"device": alarm.device.name},
        )
    audit.record(actor, "security.alarm_close", alarm, resolution=resolution)
    live.alarm_changed(alarm)
    return alarm


@transaction.atomic
def alarms_escalate(*, now=None):
    """Critical alarms still unacknowledged climb the chain in ``conf.ESCALATION_S``: at each
    step the staff one level further up (street, then district, …) are notified. An alarm
    overdue for several steps (the job was down) climbs them all in one run."""
    now = now or timezone.now()
    count = 0
    for level, after in enumerate(conf.ESCALATION_S, start=1):
        due = (
            Alarm.objects.select_for_update()
            .filter(
                status=AlarmStatus.OPEN,
                severity="critical",
                acknowledged_at__isnull=True,
                escalation_level=level - 1,
                first_at__lte=now - timedelta(seconds=after),
            )
            .select_related("community", "device")
        )
        for alarm in due:
            unit = _ancestor(alarm.community, level)
            users = (
                [g.user for g in RoleGrant.objects.filter(unit=unit).select_related("user")]
                if unit
                else []
            )
            notify(
                users,
                _("告警升级：%(alarm)s") % {"alarm": alarm},
                _("超过 %(minutes)s 分钟未确认") % {"minutes": after // 60},
                kind="security.escalate",
            )
            alarm.escalation_level = level
            alarm.escalated_at = now
            alarm.save(update_fields=["escalation_level", "escalated_at"])
            _note(alarm, SYSTEM, NoteKind.ESCALATE, str(unit or ""), now=now)
            count += 1
    return count


def _ancestor(unit, levels):
    for _step in range(levels):
        if unit is None:
            return None
        unit = OrgUnit.objects.get_parent(unit)
    return unit


# --- Connectivity and no-data rules ------------------------------------------------------


@transaction.atomic
def devices_check(*, now=None):
    """Inactivity timeout per profile/device → offline + offline alarm; no-data-for-T on water
    meters watching an elder living alone → care alert. State lives in the rows, so a restart
    loses nothing."""
    now = now or timezone.now()
    offline = 0
    for device in Device.objects.select_related("profile").filter(online=True):
        if device.last_seen and device.last_seen < now - timedelta(seconds=device.timeout_s):
            device.online = False
            device.save(update_fields=["online"])
            alarm_raise(device=device, type="offline", severity="warning", at=now)
            offline += 1
    care = 0
    meters = Device.objects.select_related("profile").filter(
        profile__silence_hours__isnull=False, watched_person__isnull=False
    )
    for device in meters:
        since = device.last_data or device.last_seen
        if since and since < now - timedelta(hours=device.profile.silence_hours):
            care += care_alert_raise(device=device, now=now, since=since)
    return {"offline": offline, "care": care}


def care_alert_raise(*, device, now, since):
    key = f"security:water:{device.pk}:{since.isoformat()}"
    if Alarm.objects.filter(device=device, type="water_silence", external_ref=key).exists():
        return 0
    alarm_raise(device=device, type="water_silence", severity="major", at=now, external_ref=key)
    person = device.watched_person
    title = _("独居老人用水异常：%(name)s") % {"name": person.name}
    description = _("%(hours)s 小时无用水记录（%(device)s）") % {
        "hours": device.profile.silence_hours,
        "device": device.name,
    }
    if not bridges.care_alert(
        person=person, title=title, description=description, external_ref=key, device=device, at=now
    ):
        # No grid module: security's own fallback — the community's staff are told to call
        # the emergency contact and visit.
        users = [
            g.user
            for g in RoleGrant.objects.filter(unit_id=device.community_id).select_related("user")
        ]
        notify(users, title, description, kind="security.care")
    return 1


# --- Access control ------------------------------------------------------------------------


@transaction.atomic
def credential_add(
    *, actor, person, kind, reference="", consent=False, guardian_name="", devices=(), now=None
):
    if actor.person_id != person.pk:
        authorize(actor, "security.manage_credential", person)
    now = now or timezone.now()
    active = Credential.objects.filter(person=person, revoked_at__isnull=True)
    if kind == CredentialKind.FACE:
        if not active.filter(kind__in=NON_FACE).exists():
            raise ValidationError(_("人脸不能作为唯一通行方式，请先登记门禁卡、二维码或密码"))
        if not consent:
            raise ValidationError(_("人脸录入需要本人单独同意"))
        if is_minor(person, timezone.localdate(now)) and not guardian_name.strip():
            raise ValidationError(_("不满14周岁须由监护人同意"))
        if active.filter(kind=CredentialKind.FACE).exists():
            raise ValidationError(_("已录入人脸"))
    credential = Credential(
        person=person,
        kind=kind,
        reference=reference[:100],
        consent_at=now if kind == CredentialKind.FACE else None,
        guardian_name=guardian_name.strip(),
        created_at=now,
    )
    credential.full_clean()
    credential.save()
    credential.devices.set(devices)
    audit.record(actor, "security.credential_add", credential, kind=kind)
    return credential


def is_minor(person, day):
    """Under 14: face enrolment then needs a guardian's consent (DOMAIN §6)."""
    age = person.age_on(day)
    return age is not None and age < 14


@transaction.atomic
def credential_revoke(*, actor, credential, now=None):
    """Revoking (for a face: withdrawing consent) removes the enrolment from every device."""
    if actor.person_id != credential.person_id:
        authorize(actor, "security.manage_credential", credential)
    credential = Credential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at:
        return credential
    credential.revoked_at = now or timezone.now()
    credential.save(update_fields=["revoked_at"])
    credential.devices.clear()
    audit.record(actor, "security.credential_revoke", credential, kind=credential.kind)
    return credential


def access_logs_purge(*, now=None):
    from .models import AccessLog

    cutoff = (now or timezone.now()) - timedelta(days=conf.ACCESS_LOG_RETENTION_DAYS)
    deleted, _rows = AccessLog.objects.filter(at__lt=cutoff).delete()
    return deleted


# --- Visitor passes ------------------------------------------------------------------------


@transaction.atomic
def visitor_pass_create(*, actor, visitor_name, valid_from, valid_until, host=None, now=None):
    from linli.org.models import Person

    host = host or (Person.objects.get(pk=actor.person_id) if actor.person_id else None)
    if host is None:
        raise ValidationError(_("只有登记的居民可以邀请访客"))
    if host.pk != actor.person_id:
        authorize(actor, "security.manage_credential", host)
    if not visitor_name.strip():
        raise ValidationError(_("请填写访客姓名"))
    if valid_until - valid_from > timedelta(days=7):
        raise ValidationError(_("访客通行证最长7天"))
    community = host.household.building.estate.community
    visit = VisitorPass(
        community=community,
        host=host,
        visitor_name=visitor_name.strip()[:50],
        valid_from=valid_from,
        valid_until=valid_until,
        created_at=now or timezone.now(),
    )
    visit.full_clean()
    visit.save()
    audit.record(actor, "security.visitor_pass", visit)
    return visit


@transaction.atomic
def gate_check_pass(*, device, code, at=None):
    """A gate asks whether a QR pass opens it now (system call from the device API)."""
    at = at or timezone.now()
    visit = (
        VisitorPass.objects.select_for_update()
        .filter(code=code, community_id=device.community_id)
        .first()
    )
    ok = visit is not None and visit.valid_from <= at <= visit.valid_until
    if ok and visit.used_at is None:
        visit.used_at = at
        visit.save(update_fields=["used_at"])
    from .models import AccessLog

    AccessLog.objects.create(device=device, kind=CredentialKind.QR, granted=ok, at=at)
    return ok


# --- Staff console: device upkeep and credential issue -------------------------------------

RULE_NUMBERS = ("count", "window_s", "min_duration_s")


def device_placement_check(
    *, community, profile=None, estate=None, building=None, household=None, watched_person=None
):
    """Where a device hangs must lie inside its community, and only a device with a no-data
    rule (a water meter) watches a person. Raises one ValidationError keyed by field."""
    errors = {}
    if estate is not None and estate.community_id != community.pk:
        errors["estate"] = _("该小区不在所选社区")
    if building is not None:
        if building.estate.community_id != community.pk:
            errors["building"] = _("该楼栋不在所选社区")
        elif estate is not None and building.estate_id != estate.pk:
            errors["building"] = _("该楼栋不在所选小区")
    if household is not None:
        if household.building.estate.community_id != community.pk:
            errors["household"] = _("该房屋不在所选社区")
        elif building is not None and household.building_id != building.pk:
            errors["household"] = _("该房屋不在所选楼栋")
    if watched_person is not None:
        home = watched_person.household
        if profile is not None and profile.silence_hours is None:
            errors["watched_person"] = _("只有智能水表可以关联关爱对象")
        elif home is None or home.building.estate.community_id != community.pk:
            errors["watched_person"] = _("关爱对象须为本社区居民")
    if errors:
        raise ValidationError(errors)


def device_rules_clean(profile, rules):
    """Per-device overrides, checked against the profile's rules and reduced to the keys that
    differ from it, so that a later change of the profile still reaches this device."""
    rules = rules or {}
    unknown = set(rules) - set(profile.rules)
    if unknown:
        raise ValidationError(
            _("类型“%(profile)s”没有这些事件的规则：%(types)s")
            % {"profile": profile.name, "types": "、".join(sorted(unknown))}
        )
    cleaned = {}
    for event_type, override in rules.items():
        base = profile.rules[event_type]
        if not isinstance(override, dict) or set(override) - set(base):
            raise ValidationError(_("规则覆盖只能修改该类型已有的参数"))
        diff = {}
        for key, value in override.items():
            if key == "severity" and value not in Severity.values:
                raise ValidationError(_("告警级别无效"))
            if key in RULE_NUMBERS and (
                isinstance(value, bool) or not isinstance(value, int) or value < 1
            ):
                raise ValidationError(_("规则参数须为正整数"))
            if key == "night_only" and not isinstance(value, bool):
                raise ValidationError(_("规则参数无效"))
            if key == "schedule" and not _schedule_valid(value):
                raise ValidationError(_("时段格式应为 HH:MM，星期为 1 至 7"))
            if value != base[key]:
                diff[key] = value
        if diff:
            cleaned[event_type] = diff
    return cleaned


def _schedule_valid(schedule):
    if not isinstance(schedule, dict) or set(schedule) - {"from", "to", "days"}:
        return False
    try:
        for key in ("from", "to"):
            time.fromisoformat(schedule.get(key, "00:00"))
    except (TypeError, ValueError):
        return False
    days = schedule.get("days", [1])
    return isinstance(days, list) and all(isinstance(d, int) and 1 <= d <= 7 for d in days)


@transaction.atomic
def device_update(*, actor, device, name, place="", inactivity_s=None, rules=None):
    """Name, place, inactivity override and per-device rule overrides. The community and the
    secret are not changed here: moving a device is a new registration, re-keying is
    ``device_rotate_secret``."""
    authorize(actor, "security.manage_device", device)
    device = Device.objects.select_for_update().select_related("profile").get(pk=device.pk)
    before = {
        "name": device.name,
        "place": device.place,
        "inactivity_s": device.inactivity_s,
        "rules": device.rules,
    }
    device.name = name.strip()
    device.place = place.strip()
    device.inactivity_s = inactivity_s
    device.rules = device_rules_clean(device.profile, rules)
    device.full_clean()
    device.save(update_fields=["name", "place", "inactivity_s", "rules"])
    changed = sorted(k for k, v in before.items() if getattr(device, k) != v)
    audit.record(actor, "security.device_update", device, changed=changed)
    return device


@transaction.atomic
def device_rotate_secret(*, actor, device):
    """A new HMAC key / HTTP token; the old one stops working once consumers reload the device.
    The audit trail records that it happened, never the key."""
    authorize(actor, "security.manage_device", device)
    device = Device.objects.select_for_update().get(pk=device.pk)
    device.secret = new_secret()
    device.save(update_fields=["secret"])
    audit.record(actor, "security.device_rotate_secret", device)
    return device


def _pin_hash(pin):
    """A salted hash that fits ``Credential.reference`` (100 characters): Argon2's encoding is
    about 104, and ``credential_add`` would cut it, so PBKDF2 is preferred when configured."""
    hasher = "pbkdf2_sha256" if "pbkdf2_sha256" in get_hashers_by_algorithm() else "default"
    encoded = make_password(pin, hasher=hasher)
    if len(encoded) > 100:
        raise ValidationError(_("密码哈希过长，请检查密码哈希设置"))
    return encoded


@transaction.atomic
def credential_issue(
    *,
    actor,
    person,
    kind,
    reference="",
    pin="",
    consent=False,
    guardian_name="",
    devices=(),
    now=None,
):
    """Staff issue a card, QR, PIN or face enrolment. A PIN is never stored as typed: only its
    salted hash goes into ``reference``. Gate devices must be the person's community's gates."""
    authorize(actor, "security.manage_credential", person)
    community_id = person.household.building.estate.community_id if person.household_id else None
    for device in devices:
        if device.community_id != community_id or device.profile.code not in GATE_PROFILES:
            raise ValidationError(_("只能选择该居民所在社区的门禁或人脸终端"))
    if kind == CredentialKind.PIN:
        if not (pin.isdigit() and 4 <= len(pin) <= 8):
            raise ValidationError(_("密码须为4至8位数字"))
        reference = _pin_hash(pin)
    elif kind == CredentialKind.CARD:
        if not reference.strip():
            raise ValidationError(_("请填写卡号"))
        reference = reference.strip()
    elif kind == CredentialKind.QR:
        reference = reference.strip() or secrets.token_urlsafe(16)
    elif kind != CredentialKind.FACE:
        raise ValidationError(_("请选择通行方式"))
    return credential_add(
        actor=actor,
        person=person,
        kind=kind,
        reference=reference.strip(),
        consent=consent,
        guardian_name=guardian_name,
        devices=devices,
        now=now,
    )
