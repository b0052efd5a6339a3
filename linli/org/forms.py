from django import forms
from django.utils.translation import gettext_lazy as _

from linli.org.choices import Relation
from linli.org.models import Tag


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=24, required=False, help_text=_("修改时留空表示不变")
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)
    tags = forms.ModelMultipleChoiceField(
        label=_("标签"),
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class RegisterForm(PersonForm):
    relation = forms.ChoiceField(label=_("与户关系"), choices=Relation.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].help_text = _("18位，系统自动校验；可留空后补")


class MoveForm(forms.Form):
    household = forms.ModelChoiceField(label=_("迁入房屋"), queryset=None)
    relation = forms.ChoiceField(label=_("与户关系"), choices=Relation.choices)
    on = forms.DateField(
        label=_("迁入日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households
