from django import forms
from django.utils.translation import gettext_lazy as _

from linli.timebank.models import Category


class RequestForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("需要什么帮助"), queryset=Category.objects.filter(active=True)
    )
    start = forms.DateTimeField(
        label=_("什么时候"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label=_("大约多久(分钟)"), min_value=15, max_value=480, initial=60)
    note = forms.CharField(label=_("说明"), max_length=300, required=False, widget=forms.Textarea)
    pay = forms.BooleanField(label=_("使用我储存的时间支付"), required=False)


class SignupForm(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("我能提供的服务"),
        queryset=Category.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.CharField(label=_("可服务时间"), max_length=100, required=False)


class GiftForm(forms.Form):
    receiver_phone = forms.CharField(
        label=_("受赠人手机号(留空则捐给互助池)"), max_length=20, required=False
    )
    relation = forms.CharField(label=_("关系"), max_length=20, required=False)
    hours = forms.DecimalField(label=_("小时"), min_value=0.5, max_digits=6, decimal_places=1)
