from __future__ import annotations

from django.urls import path

from closeloop.notify import views

app_name = "notify"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox-read-all"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/read/", views.message_read, name="message-read"),
    path("outbox/<int:pk>/", views.message_detail, name="message-detail"),
    path("outbox/<int:pk>/html/", views.message_html, name="message-html"),
    path("outbox/<int:pk>/files/<int:index>/", views.message_attachment, name="message-attachment"),
    path("deliveries/failed/", views.failed_deliveries, name="failed-deliveries"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery-retry"),
]
