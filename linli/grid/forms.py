from django import forms
from django.utils.translation import gettext_lazy as _

from linli.grid.choices import Tier, Urgency, VisitMethod
from linli.grid.models import CareGroup, Category


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=Category.objects.filter(active=True)
    )
    title = forms.CharField(label=_("标题"), max_length=100)
    description = forms.CharField(label=_("具体情况"), max_length=4000, widget=forms.Textarea)
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=None, required=False)
    address = forms.CharField(label=_("具体位置"), max_length=200, required=False)
    photo = forms.ImageField(label=_("照片"), required=False)
    lat = forms.DecimalField(widget=forms.HiddenInput, required=False)
    lng = forms.DecimalField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings


class StaffReportForm(ReportForm):
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices)


class VisitForm(forms.Form):
    method = forms.ChoiceField(label=_("方式"), choices=VisitMethod.choices[:2])
    note = forms.CharField(label=_("情况"), max_length=300)
    needs = forms.CharField(label=_("发现的需求"), max_length=300, required=False)
    major_change = forms.BooleanField(label=_("有重大变化(24小时内再访)"), required=False)


class CareForm(forms.Form):
    groups = forms.ModelMultipleChoiceField(
        label=_("关爱类别"), queryset=CareGroup.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    tier = forms.ChoiceField(label=_("风险等级"), choices=Tier.choices)
    helper = forms.ModelChoiceField(label=_("一对一帮扶人"), queryset=None, required=False)
    contact_name = forms.CharField(label=_("紧急联系人"), max_length=30, required=False)
    contact_phone = forms.CharField(label=_("紧急联系电话"), max_length=20, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, helpers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helper"].queryset = helpers
