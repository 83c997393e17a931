"""Admin additions of the reports app.

`pledges` is the base layer and does not import `reports`, so the follow-up export is added
here to the löfte admin that pledges registered. Django imports each app's admin module in
INSTALLED_APPS order, and `reports` comes after `pledges`.
"""

from django.contrib import admin

from pledges.models import Pledge
from reports.admin_actions import export_follow_up

pledge_admin = admin.site.get_model_admin(Pledge)
pledge_admin.actions = [*pledge_admin.actions, export_follow_up]
