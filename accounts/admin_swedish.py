"""The one string of Django's admin that no catalogue can translate: a boolean column's
icon has the Python value as its alt text ("True", "False", "None"), read aloud in English
by screen readers. Replaced at start-up (AccountsConfig.ready) by "Ja", "Nej", "Okänt"
through Django's own translations of "Yes", "No" and "Unknown"."""

from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext

_ICONS = {True: "yes", False: "no", None: "unknown"}
_WORDS = {True: "Yes", False: "No", None: "Unknown"}


def boolean_icon(field_val):
    icon_url = static(f"admin/img/icon-{_ICONS[field_val]}.svg")
    return format_html('<img src="{}" alt="{}">', icon_url, gettext(_WORDS[field_val]))


def install():
    # admin.utils and admin.helpers import the function from admin_list at each call.
    admin_list._boolean_icon = boolean_icon
