"""The people page (admins) and the invitation link. Mounted at the root: `/people/...`
(pipeline's `/people/<pk>/overdue/` is a page of its own) and `/welcome/<token>/`."""

from __future__ import annotations

from django.urls import path

from closeloop.accounts import people_views as views

app_name = "people"
urlpatterns = [
    path("people/", views.people, name="list"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<int:pk>/roles/", views.roles, name="roles"),
    path("people/<int:pk>/calendar/", views.calendar, name="calendar"),
    path("people/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("people/<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path(
        "people/invitations/<int:pk>/send-again/",
        views.invitation_send_again,
        name="invitation-send-again",
    ),
    path(
        "people/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation-withdraw",
    ),
    path("welcome/<str:token>/", views.invitation_open, name="invitation-accept"),
]
