from django import forms
from django.utils.translation import gettext_lazy as _


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
