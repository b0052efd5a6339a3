from ninja import Router, Schema

from linli.core.roles import ROLES

router = Router(tags=["accounts"])


class GrantOut(Schema):
    role: str
    role_label: str
    unit: str
    estate_id: int | None
    organisation_id: int | None


class MeOut(Schema):
    id: int
    username: str
    name: str
    person_id: int | None
    large_text: bool
    grants: list[GrantOut]
    permissions: list[str]


@router.get("/me", response=MeOut)
def me(request):
    actor = request.actor
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "name": str(user),
        "person_id": user.person_id,
        "large_text": user.large_text,
        "grants": [
            {
                "role": g.role,
                "role_label": str(ROLES[g.role].label),
                "unit": g.unit_path,
                "estate_id": g.estate_id,
                "organisation_id": g.organisation_id,
            }
            for g in actor.grants
        ],
        "permissions": sorted(actor.perms),
    }
