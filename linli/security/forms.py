"""Staff forms of the security console. Choice lists are built from what the actor may see;
the services check again, so a forged id still meets the same rules."""

from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from linli.org.choices import PersonStatus, UnitKind
from linli.org.models import Building, Estate, Household, OrgUnit, Person

from .choices import GATE_PROFILES, CredentialKind, Severity
from .models import EVENT_LABELS, Device, DeviceProfile

NUMBER_LABELS = {
    "count": _("次数"),
    "window_s": _("时间窗(秒)"),
    "min_duration_s": _("持续(秒)"),
}


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class BuildingField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.estate.name} {obj.name}"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} {obj.phone_masked}".strip()


def inactivity_field():
    return forms.IntegerField(
        label=_("离线超时覆盖(秒)"),
        required=False,
        min_value=30,
        max_value=7 * 24 * 3600,
        help_text=_("留空则使用设备类型的默认值"),
    )


def _pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class DeviceRegisterForm(forms.Form):
    """Validation accepts any place the actor can see (so a place in the wrong community gets
    a precise message from the service check); the lists shown are narrowed to the chosen
    community and building by :meth:`narrow`, because a community can hold thousands of
    households."""

    profile = forms.ModelChoiceField(label=_("设备类型"), queryset=DeviceProfile.objects.all())
    community = NamedChoiceField(label=_("社区"), queryset=OrgUnit.objects.none())
    estate = NamedChoiceField(label=_("小区"), queryset=Estate.objects.none(), required=False)
    building = BuildingField(label=_("楼栋"), queryset=Building.objects.none(), required=False)
    household = forms.ModelChoiceField(
        label=_("房屋"),
        queryset=Household.objects.none(),
        required=False,
        help_text=_("先选楼栋，再选房屋"),
    )
    place = forms.CharField(label=_("位置"), max_length=100, required=False)
    code = forms.SlugField(
        label=_("设备编号"), max_length=64, help_text=_("字母、数字、连字符，全平台唯一")
    )
    name = forms.CharField(label=_("名称"), max_length=100)
    inactivity_s = inactivity_field()
    watched_person = PersonField(
        label=_("关爱对象（独居老人）"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("本社区居民；先选房屋或楼栋"),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.fields["community"].queryset = (
            OrgUnit.objects.visible_to(actor, "security.manage_device")
            .filter(kind=UnitKind.COMMUNITY)
            .order_by("path")
        )
        if self.is_bound:
            self.fields["estate"].queryset = Estate.objects.visible_to(actor)
            self.fields["building"].queryset = Building.objects.visible_to(actor).select_related(
                "estate"
            )
            self.fields["household"].queryset = Household.objects.visible_to(actor)
            self.fields["watched_person"].queryset = Person.objects.visible_to(actor).filter(
                status=PersonStatus.ACTIVE
            )
        else:
            self.narrow()

    def _value(self, name):
        return _pk(self[name].value())

    def chosen_profile(self):
        pk = self._value("profile")
        return DeviceProfile.objects.filter(pk=pk).first() if pk else None

    def narrow(self):
        """The choice lists for showing the form: inside the chosen community and building."""
        community = self.fields["community"].queryset.filter(pk=self._value("community")).first()
        building_pk, household_pk = self._value("building"), self._value("household")
        estates = Estate.objects.none()
        buildings = Building.objects.none()
        households = Household.objects.none()
        people = Person.objects.none()
        if community is not None:
            estates = Estate.objects.visible_to(self.actor).filter(community=community)
            buildings = (
                Building.objects.visible_to(self.actor)
                .filter(estate__community=community)
                .select_related("estate")
            )
            if self._value("estate"):
                buildings = buildings.filter(estate_id=self._value("estate"))
            if building_pk:
                households = (
                    Household.objects.visible_to(self.actor)
                    .filter(building_id=building_pk, building__estate__community=community)
                    .select_related("building", "stairwell")
                )
                people = Person.objects.visible_to(self.actor).filter(
                    status=PersonStatus.ACTIVE,
                    household__building_id=building_pk,
                    household__building__estate__community=community,
                )
                if household_pk:
                    people = people.filter(household_id=household_pk)
        self.fields["estate"].queryset = estates
        self.fields["building"].queryset = buildings
        self.fields["household"].queryset = households
        self.fields["watched_person"].queryset = people
        profile = self.chosen_profile()
        refused = self.is_bound and "watched_person" in self.errors
        if (profile is None or profile.silence_hours is None) and not refused:
            # Only a device with a no-data rule watches someone.
            self.fields.pop("watched_person", None)

    def clean(self):
        from . import services

        data = super().clean()
        community = data.get("community")
        if community is None:
            return data
        try:
            services.device_placement_check(
                community=community,
                profile=data.get("profile"),
                estate=data.get("estate"),
                building=data.get("building"),
                household=data.get("household"),
                watched_person=data.get("watched_person"),
            )
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return data


class ScheduleField(forms.CharField):
    """A rule's active hours typed as ``23:00-05:00``; the weekdays of the rule are kept."""

    def __init__(self, *, days=None, **kwargs):
        self.days = days
        kwargs.setdefault("label", _("生效时段"))
        kwargs.setdefault("help_text", _("如 23:00-05:00，可跨午夜"))
        super().__init__(max_length=11, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return f"{value.get('from', '00:00')}-{value.get('to', '00:00')}"
        return value

    def to_python(self, value):
        text = super().to_python(value).replace("–", "-").replace(" ", "")
        start, _sep, end = text.partition("-")
        try:
            schedule = {
                "from": time.fromisoformat(start).strftime("%H:%M"),
                "to": time.fromisoformat(end).strftime("%H:%M"),
            }
        except ValueError:
            raise forms.ValidationError(_("时段格式应为 HH:MM-HH:MM")) from None
        if self.days:
            schedule["days"] = self.days
        return schedule


class DeviceEditForm(forms.Form):
    """Name, place, timeout and, per event type the profile has a rule for, the rule's
    severity and numbers: a structured form over ``Device.rules``."""

    name = forms.CharField(label=_("名称"), max_length=100)
    place = forms.CharField(label=_("位置"), max_length=100, required=False)
    inactivity_s = inactivity_field()

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.initial.update(name=device.name, place=device.place, inactivity_s=device.inactivity_s)
        self.rule_fields = []
        for event_type in sorted(device.profile.rules):
            base = device.profile.rules[event_type]
            current = device.rule_for(event_type) or {}
            names = []
            for key in base:
                field_name = f"rule__{event_type}__{key}"
                if key == "severity":
                    field = forms.ChoiceField(label=_("级别"), choices=Severity.choices)
                elif key == "night_only":
                    field = forms.BooleanField(label=_("仅夜间（22:00–06:00）"), required=False)
                elif key == "schedule":
                    field = ScheduleField(days=(current.get(key) or base[key]).get("days"))
                else:
                    field = forms.IntegerField(
                        label=NUMBER_LABELS.get(key, key), min_value=1, max_value=7 * 24 * 3600
                    )
                field.initial = current.get(key, base[key])
                self.fields[field_name] = field
                names.append(field_name)
            self.rule_fields.append((event_type, names))

    def rule_groups(self):
        """(event label, bound fields) for the template."""
        return [(EVENT_LABELS.get(t, t), [self[n] for n in names]) for t, names in self.rule_fields]

    def rules(self):
        out = {}
        for event_type, names in self.rule_fields:
            out[event_type] = {
                n.rsplit("__", 1)[1]: self.cleaned_data[n] for n in names if n in self.cleaned_data
            }
        return out


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("姓名或手机号"), max_length=50, required=False)


class CredentialForm(forms.Form):
    kind = forms.ChoiceField(label=_("通行方式"), choices=CredentialKind.choices)
    reference = forms.CharField(
        label=_("卡号 / 人脸模板引用"),
        max_length=100,
        required=False,
        help_text=_("IC卡填卡号；人脸填门禁设备上的模板编号（平台不保存人脸图像）"),
    )
    pin = forms.CharField(
        label=_("密码"),
        max_length=8,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"inputmode": "numeric"}),
        help_text=_("4至8位数字；只保存加密摘要，不会再次显示"),
    )
    devices = forms.ModelMultipleChoiceField(
        label=_("录入到设备"),
        queryset=Device.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("本人已单独书面同意采集人脸（用于门禁通行）"),
        required=False,
        initial=False,
        help_text=_("仅人脸录入需要；不得强制，居民可随时撤回"),
    )
    guardian_name = forms.CharField(
        label=_("监护人姓名"),
        max_length=50,
        required=False,
        help_text=_("不满14周岁须由监护人同意"),
    )

    def __init__(self, *args, actor, person, minor, **kwargs):
        super().__init__(*args, **kwargs)
        community_id = (
            person.household.building.estate.community_id if person.household_id else None
        )
        self.fields["devices"].queryset = (
            Device.objects.visible_to(actor)
            .filter(community_id=community_id, profile__code__in=GATE_PROFILES)
            .select_related("profile")
            .order_by("code")
        )
        if not minor:
            self.fields.pop("guardian_name")
