"""Admin building blocks for records of people that no one edits by hand."""


def _is_superuser(request):
    return request.user.is_active and request.user.is_superuser


class SuperuserReadAndDeleteMixin:
    """Only superusers see the records and may delete one (e.g. on a person's request);
    nobody adds or changes them in the admin."""

    def has_module_permission(self, request):
        return _is_superuser(request)

    def has_view_permission(self, request, obj=None):
        return _is_superuser(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return _is_superuser(request)
