from django import forms
from django.utils.translation import gettext_lazy as _

from linli.points.choices import Expiry
from linli.points.models import Activity, Item, Rule


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class WithUnit:
    """A form whose object is placed on one of the org units the actor may manage."""

    def add_unit(self, units):
        self.fields = {"unit": UnitField(label=_("范围"), queryset=units), **self.fields}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ActivityForm(WithUnit, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["title", "rule", "place", "starts_at", "ends_at"]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}

    def __init__(self, *args, rules, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = rules
        self.add_unit(units)


class RuleForm(WithUnit, forms.ModelForm):
    class Meta:
        model = Rule
        fields = [
            "code",
            "name",
            "category",
            "points",
            "per",
            "daily_limit",
            "weekly_limit",
            "monthly_limit",
            "claimable",
            "needs_evidence",
            "needs_approval",
            "active",
            "active_from",
            "active_until",
        ]
        widgets = {
            "active_from": forms.DateInput(attrs={"type": "date"}),
            "active_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_unit(units)


class AwardForm(forms.Form):
    rule = forms.ModelChoiceField(label=_("规则"), queryset=Rule.objects.none())
    quantity = forms.DecimalField(
        label=_("数量"), min_value=0.25, max_digits=8, decimal_places=2, initial=1
    )
    note = forms.CharField(label=_("事由"), max_length=200)

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = rules


class ClaimForm(forms.Form):
    rule = forms.ModelChoiceField(label=_("申报项目"), queryset=Rule.objects.none())
    quantity = forms.DecimalField(
        label=_("数量"), min_value=0.25, max_digits=8, decimal_places=2, initial=1
    )
    note = forms.CharField(label=_("做了什么"), max_length=200, widget=forms.Textarea)
    evidence = forms.ImageField(label=_("照片"), required=False)

    def __init__(self, *args, rules, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rule"].queryset = rules


class ItemForm(WithUnit, forms.ModelForm):
    class Meta:
        model = Item
        fields = [
            "kind",
            "name",
            "description",
            "estate",
            "cost",
            "stock",
            "per_person_limit",
            "available_from",
            "available_until",
            "photo",
            "active",
        ]
        widgets = {
            "available_from": forms.DateInput(attrs={"type": "date"}),
            "available_until": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, units, estates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = estates
        if self.instance.pk is None:
            self.add_unit(units)


class PolicyForm(forms.Form):
    expiry = forms.ChoiceField(label=_("积分有效期"), choices=Expiry.choices)


class FulfilForm(forms.Form):
    code = forms.CharField(label=_("券码"), max_length=20)
