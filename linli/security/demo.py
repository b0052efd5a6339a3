"""Demo for 杭州市萧山区北干街道: devices of every profile, a simulated day of traffic through the
real ingest, alarms in every state, face enrolments with consent, visitor passes."""

import json
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from linli.accounts.services import resident_account_create
from linli.core.scoping import SYSTEM, Actor
from linli.org.demo import demo_user
from linli.org.models import Building, OrgUnit, Person

from . import services
from .ingest import ingest_batch, signed
from .models import Alarm, DeviceProfile

ORDER = 60

EVENTS = {
    "camera": ["motion", "motion", "intrusion"],
    "gate": ["granted", "granted", "granted", "denied"],
    "face_terminal": ["granted", "granted", "denied"],
    "smoke": ["selftest", "smoke"],
    "gas": ["selftest", "gas"],
    "door_sensor": ["door_open"],
    "water_meter": ["reading", "reading", "reading"],
    "sos": ["sos"],
}


@transaction.atomic
def load(ctx):
    services.profiles_ensure()
    profiles = {p.code: p for p in DeviceProfile.objects.all()}
    communities = list(
        OrgUnit.objects.filter(kind="community", code__startswith="beigan-").order_by("code")
    )
    if not communities:
        return
    c1 = communities[0]
    operator = demo_user(
        ctx, "beigan-operator", "北干安防值班员", "security_operator", c1, where=c1.name
    )
    staff = demo_user(
        ctx, "beigan-community", "北干社区安防管理员", "community_staff", c1, where=c1.name
    )
    admin = Actor(staff)
    rng = ctx.rng
    now = timezone.now().replace(second=0, microsecond=0)
    devices = []
    for community in communities:
        buildings = list(Building.objects.filter(estate__community=community)[:6])
        elders = list(
            Person.objects.filter(
                household__building__estate__community=community, tags__code="elder_alone"
            )[:3]
        )
        for code, profile in profiles.items():
            count = 3 if code == "water_meter" else 2
            for i in range(count):
                watched = elders[i] if code == "water_meter" and i < len(elders) else None
                building = rng.choice(buildings) if buildings else None
                if watched:
                    # A water meter hangs in the elder's own home.
                    building = watched.household.building
                devices.append(
                    services.device_register(
                        actor=SYSTEM,
                        community=community,
                        profile=profile,
                        code=f"{community.code}-{code}-{i + 1}",
                        name=f"{profile.name}{i + 1}",
                        estate=building.estate if building else None,
                        building=building,
                        household=watched.household if watched else None,
                        place=building.name if building else "公共区域",
                        watched_person=watched,
                    )
                )
    # A simulated day of traffic, through the same ingest as MQTT.
    start = now - timedelta(hours=24)
    messages = []
    for device in devices:
        topic = f"linli/{device.community.code}/{device.code}"
        for n in range(rng.randint(4, 10)):
            ts = start + timedelta(minutes=rng.randint(0, 24 * 60 - 30))
            kind = rng.choice(EVENTS[device.profile.code])
            data = {"battery": rng.randint(40, 100)}
            if kind == "door_open":
                data["duration_s"] = rng.choice([60, 900])
            if kind == "reading":
                data["m3"] = round(rng.uniform(0.01, 0.2), 3)
            body = {"event_id": f"demo-{n}", "type": kind, "ts": ts.isoformat(), "data": data}
            messages.append((f"{topic}/event", json.dumps(signed(body, device.secret))))
        messages.append(
            (f"{topic}/heartbeat", json.dumps(signed({"ts": now.isoformat()}, device.secret)))
        )
    messages.append((f"linli/{c1.code}/unknown-cam/event", "{}"))
    ingest_batch(messages, now=now)
    # One water meter silent for 13 h and one device gone quiet: the jobs raise their alarms.
    meter = next(d for d in devices if d.watched_person_id)
    meter.last_data = meter.last_seen = now - timedelta(hours=13)
    meter.save(update_fields=["last_data", "last_seen"])
    services.devices_check(now=now)
    _alarm_states(admin, operator, now, rng)
    _residents(ctx, c1, devices, now)


def _alarm_states(admin, operator, now, rng):
    """Walk the demo's alarms through every state: some closed with each resolution, some
    acknowledged, one cleared, the rest open for the operator."""
    alarms = list(Alarm.objects.filter(community__code__startswith="beigan-").order_by("pk"))
    resolutions = ["real", "false", "test", "fault"]
    for i, alarm in enumerate(alarms):
        # The other communities' alarms are handled by their own staff: the system stands in.
        actor = admin if admin.can("security.handle_alarm", alarm) else SYSTEM
        at = alarm.first_at + timedelta(seconds=rng.randint(20, 600))
        step = i % 5
        if step == 4:
            continue
        services.alarm_acknowledge(actor=actor, alarm=alarm, now=at)
        if step == 3:
            services.alarm_assign(actor=actor, alarm=alarm, assignee=operator, now=at)
            continue
        if step == 2:
            services.alarm_clear(actor=actor, alarm=alarm, now=at)
            continue
        services.alarm_comment(actor=actor, alarm=alarm, text="已到场核实", now=at)
        resolution = resolutions[i % 4]
        services.alarm_close(
            actor=actor,
            alarm=alarm,
            resolution=resolution,
            note="烹饪油烟" if resolution == "false" else "",
            now=at + timedelta(minutes=rng.randint(5, 60)),
        )


def _residents(ctx, community, devices, now):
    gates = [
        d
        for d in devices
        if d.profile.code in {"gate", "face_terminal"} and d.community_id == community.pk
    ]
    people = list(
        Person.objects.filter(household__building__estate__community=community).order_by("pk")[:12]
    )
    resident = people[0]
    user = resident_account_create(
        actor=SYSTEM,
        person=resident,
        password=ctx.password,
        username="beigan-resident",
        check_password=False,
    )
    ctx.add_login(user.username, "resident", community.name)
    for i, person in enumerate(people):
        services.credential_add(
            actor=SYSTEM, person=person, kind="card", reference=f"IC-{person.pk:06d}", devices=gates
        )
        if i % 3 == 0:
            services.credential_add(
                actor=SYSTEM,
                person=person,
                kind="face",
                reference=f"{gates[0].code}:tpl-{person.pk}",
                consent=True,
                guardian_name="监护人" if i == 6 else "",
                devices=gates,
            )
    host = Actor(user)
    for i, name in enumerate(["王阿姨", "快递小李", "维修师傅", "表弟"]):
        services.visitor_pass_create(
            actor=host,
            visitor_name=name,
            valid_from=now + timedelta(hours=i * 3 - 4),
            valid_until=now + timedelta(hours=i * 3),
        )
