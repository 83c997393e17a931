"""Subscriptions in the admin, for national administrators only: to answer a resident who
asks what is kept about them, or to delete an address on request. Nothing is edited here;
residents manage their own subscriptions with the links in the mails."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_mixins import SuperuserReadAndDeleteMixin
from alerts.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(SuperuserReadAndDeleteMixin, admin.ModelAdmin):
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
    fields = list(readonly_fields)
    ordering = ["-created_at"]

    @admin.display(boolean=True, description=_("bekräftad"), ordering="confirmed_at")
    def confirmed(self, obj):
        return obj.is_confirmed
