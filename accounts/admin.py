from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.models import SignInAttempt


@admin.register(SignInAttempt)
class SignInAttemptAdmin(admin.ModelAdmin):
    """Read-only, for superusers: an audit trail nobody edits by hand."""

    list_display = ["created_at", "username", "user", "success", "ip_hash_short", "user_agent"]
    list_filter = ["success", "created_at"]
    search_fields = ["username", "user__username", "ip_hash"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "username", "user", "success", "ip_hash", "user_agent"]

    @admin.display(description=_("adress (hashad)"))
    def ip_hash_short(self, obj):
        return obj.ip_hash[:12]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
