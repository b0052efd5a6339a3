from django import forms
from django.utils.translation import gettext_lazy as _

from linli.org.choices import UnitKind
from linli.org.models import Organisation, OrgUnit
from linli.sharing.models import Resource


class BookingForm(forms.Form):
    start = forms.DateTimeField(widget=forms.HiddenInput)
    slots = forms.TypedChoiceField(label=_("时长"), coerce=int)
    places = forms.IntegerField(label=_("名额"), min_value=1, initial=1)
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)
    on_behalf_of = forms.TypedChoiceField(label=_("代表组织"), coerce=int, required=False)

    def __init__(self, *args, resource, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        most = max(1, resource.max_duration_minutes // resource.slot_minutes)
        self.fields["slots"].choices = [
            (n, _("%(m)s 分钟") % {"m": n * resource.slot_minutes}) for n in range(1, most + 1)
        ]
        self.fields["places"].max_value = resource.capacity
        if resource.capacity == 1:
            self.fields["places"].widget = forms.HiddenInput()
        if organisations:
            self.fields["on_behalf_of"].choices = [("", _("本人"))] + [
                (o.pk, o.name) for o in organisations
            ]
        else:
            del self.fields["on_behalf_of"]


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = [
            "owner_unit",
            "organisation",
            "code",
            "name",
            "kind",
            "description",
            "photo",
            "location",
            "capacity",
            "slot_minutes",
            "reach",
            "needs_approval",
            "min_notice_hours",
            "max_notice_days",
            "max_duration_minutes",
            "max_per_week",
        ]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = OrgUnit.objects.visible_to(
            actor, "sharing.manage_resource"
        ).filter(kind=UnitKind.COMMUNITY)
        self.fields["organisation"].queryset = Organisation.objects.visible_to(
            actor, "org.change_organisation"
        )


WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]


class HoursForm(forms.Form):
    weekday = forms.TypedChoiceField(
        label=_("星期"),
        coerce=int,
        choices=list(
            enumerate([_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")])
        ),
    )
    opens = forms.TimeField(label=_("开放"), widget=forms.TimeInput(attrs={"type": "time"}))
    closes = forms.TimeField(label=_("关闭"), widget=forms.TimeInput(attrs={"type": "time"}))
