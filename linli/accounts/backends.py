from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from linli.accounts.models import User
from linli.core.idcard import normalise


class PhoneOrUsernameBackend(ModelBackend):
    """Log in with either the username or the mobile number bound to the account."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        login = normalise(username)
        user = User.objects.filter(Q(username=login) | Q(phone=login)).order_by("pk").first()
        if user is None:
            # Spend the same time as a real check so that logins cannot probe for accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
