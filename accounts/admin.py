from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin_mixins import SuperuserReadAndDeleteMixin
from accounts.models import AuthenticatorApp, BackupCodes, SignInAttempt


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


# django-otp's own admin pages are in English with English field names: a national
# administrator sees the devices here instead, read-only, and removes a lost phone's app
# so that its owner can enrol again.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class DeviceAdmin(SuperuserReadAndDeleteMixin, admin.ModelAdmin):
    list_display = ["owner", "device_name", "is_confirmed", "created", "last_used"]
    list_filter = [("confirmed", admin.BooleanFieldListFilter)]
    search_fields = ["user__username", "user__email", "name"]
    list_select_related = ["user"]
    fields = ("owner", "device_name", "is_confirmed", "created", "last_used")
    readonly_fields = fields

    @admin.display(description=_("användare"), ordering="user__username")
    def owner(self, obj):
        return obj.user

    @admin.display(description=_("namn"), ordering="name")
    def device_name(self, obj):
        return obj.name

    @admin.display(description=_("bekräftad"), boolean=True, ordering="confirmed")
    def is_confirmed(self, obj):
        return obj.confirmed

    @admin.display(description=_("skapad"), ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description=_("senast använd"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at


admin.site.register(AuthenticatorApp, DeviceAdmin)
admin.site.register(BackupCodes, DeviceAdmin)
