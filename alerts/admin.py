"""Subscriptions in the admin, for national administrators only: to answer a resident who
asks what is kept about them, or to delete an address on request. Nothing is edited here;
residents manage their own subscriptions with the links in the mails."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from alerts.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "municipality", "frequency", "confirmed", "created_at", "last_sent_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["municipality"]
    search_fields = ["email", "municipality__name"]
    readonly_fields = [
        "email",
        "municipality",
        "frequency",
        "created_at",
        "confirmed_at",
        "sent_until",
        "last_sent_at",
    ]
    fields = readonly_fields
    ordering = ["-created_at"]

    @admin.display(boolean=True, description=_("bekräftad"), ordering="confirmed_at")
    def confirmed(self, obj):
        return obj.is_confirmed

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
