"""The JSON API at /api/v1/: one NinjaAPI, with each app's ``api.router`` at /api/v1/<label>/."""

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer, django_auth

from linli.accounts.services import token_authenticate, token_issue
from linli.core.middleware import actor_for
from linli.core.registry import app_module, linli_apps


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
            request.actor = actor_for(request)
        return user


api = NinjaAPI(
    title="Linli API",
    version="1",
    description="邻里社区治理平台 API。使用 POST /api/v1/auth/token 获取令牌，"
    "再以 Authorization: Bearer <token> 调用。",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    messages = exc.messages if hasattr(exc, "messages") else [str(exc)]
    return api.create_response(request, {"detail": messages}, status=400)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or _("没有权限")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("不存在")}, status=404)


class TokenIn(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    token_type: str = "Bearer"


@api.post("/auth/token", auth=None, response=TokenOut, tags=["auth"])
def create_token(request, payload: TokenIn):
    """Exchange a username (or phone) and password for a bearer token."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, _("用户名或密码错误"))
    request.user = user
    _token, key = token_issue(actor=actor_for(request), user=user, name=payload.name)
    return {"token": key}


for _config in linli_apps():
    _module = app_module(_config, "api")
    if _module is not None and hasattr(_module, "router"):
        api.add_router(f"/{_config.label}/", _module.router)
