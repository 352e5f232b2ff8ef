"""URL map. Each app owns a namespace; names are kebab-case (`pipeline:application-detail`)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from closeloop.accounts import views_signin

admin.site.site_header = "Closeloop administration"
admin.site.site_title = "Closeloop admin"

urlpatterns = [
    path("", include("closeloop.pipeline.urls")),
    path("", include("closeloop.jobs.urls")),
    path("accounts/", include("closeloop.accounts.urls")),
    path("", include("closeloop.accounts.people_urls")),
    path("", include("closeloop.ops.urls")),
    path("", include("closeloop.followups.urls")),
    path("", include("closeloop.notify.urls")),
    path("", include("closeloop.intake.urls")),
    path("", include("closeloop.interviews.urls")),
    path("", include("closeloop.calendars.urls")),
    path("", include("closeloop.touchbases.urls")),
    path("", include("closeloop.comments.urls")),
    path("", include("closeloop.insights.urls")),
    path("", include("closeloop.partnership.urls")),
    # The admin signs in through Closeloop's login (SSO, two-step sign-in), never its own form.
    path("admin/login/", views_signin.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
]

handler400 = "closeloop.ops.views.bad_request"
handler403 = "closeloop.ops.views.permission_denied"
handler404 = "closeloop.ops.views.page_not_found"
handler500 = "closeloop.ops.views.server_error"
