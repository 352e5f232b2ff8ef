"""`{% form_receipt %}`: the one-time token of a create form (see activity.receipts)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from closeloop.activity.receipts import FIELD, receipt_token_new

register = template.Library()


@register.simple_tag
def form_receipt() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, receipt_token_new())
