"""Events of jobs that higher apps subscribe to, from their `AppConfig.ready`.

Sent inside the transaction of the change, so a receiver's work commits or rolls back with
it; jobs never import their subscribers (docs/architecture.md, "Registries and hooks").
"""

from __future__ import annotations

from django.dispatch import Signal

# A search ended: the job became Filled or Closed (it was neither before).
# Keyword arguments: job, by (a User), outcome (a JobOutcome value).
job_closed = Signal()

# Someone else holds a deciding role on the job: the recruiter or the hiring manager changed
# (the open asks of that role have moved already). Keyword arguments: job, role
# ("recruiter" or "hiring_manager"), before and after (Users), by (a User).
job_role_changed = Signal()
