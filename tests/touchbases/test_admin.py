"""The touch-base tables in the Django admin: listed for staff, read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "model", ["touchbaseseries", "touchbase", "actionitem", "weeklyupdateschedule"]
)
def test_admins_list_them_read_only(world, current, login, model):
    client = login(world.ada)
    assert client.get(reverse(f"admin:touchbases_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:touchbases_{model}_add")).status_code == 403
