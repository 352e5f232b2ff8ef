from __future__ import annotations

from django.urls import path

from closeloop.notify import views

app_name = "notify"
urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/", views.message_detail, name="message-detail"),
    path("outbox/<int:pk>/html/", views.message_html, name="message-html"),
    path("deliveries/failed/", views.failed_deliveries, name="failed-deliveries"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery-retry"),
]
