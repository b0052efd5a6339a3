from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from linli.core.roles import ROLES, role_choices


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("手机号或用户名"),
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text"}
        ),
    )
    error_messages = {
        "invalid_login": _("手机号/用户名或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"))
    unit = forms.ModelChoiceField(label=_("单位"), queryset=None, required=False)
    estate = forms.ModelChoiceField(label=_("小区"), queryset=None, required=False)
    organisation = forms.ModelChoiceField(label=_("组织"), queryset=None, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        from linli.org.models import Estate, Organisation, OrgUnit

        self.fields["role"].choices = [
            (c, label) for c, label in role_choices() if ROLES[c].staff or c == "resident"
        ]
        self.fields["unit"].queryset = OrgUnit.objects.visible_to(actor, "accounts.manage_grants")
        self.fields["estate"].queryset = Estate.objects.visible_to(actor).select_related(
            "community"
        )
        self.fields["organisation"].queryset = Organisation.objects.visible_to(actor)


class UserCreateForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    username = forms.CharField(label=_("用户名"), max_length=150)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    password = forms.CharField(label=_("初始密码"), widget=forms.PasswordInput, min_length=8)
