from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from linli.accounts.models import RoleGrant, User


class GrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    raw_id_fields = ("unit", "estate", "organisation", "granted_by")


@admin.register(User)
class LinliUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("邻里", {"fields": ("phone", "person", "large_text")}))
    list_display = ("username", "first_name", "phone", "is_superuser", "is_active")
    raw_id_fields = ("person",)
    inlines = [GrantInline]
