from django.contrib import admin

from linli.core.models import AuditEntry, Notification


def _superusers_only(request):
    """Django admin bypasses scoping, so it stays with platform superusers (issue 2)."""
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
admin.site.site_header = "邻里 · 平台管理"


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_name", "action", "target_repr", "unit")
    list_filter = ("action",)
    search_fields = ("actor_name", "target_repr", "action")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "title", "read_at")
