"""Events of the intake that higher apps subscribe to, from their `AppConfig.ready`.

Sent inside the transaction of the change, so a receiver's work commits or rolls back with
it; the intake never imports its subscribers (docs/architecture.md, "Registries and hooks").
"""

from __future__ import annotations

from django.dispatch import Signal

# A version came into force and was applied to its job (touch-bases move the series now).
# Keyword arguments: job, version, by (a User), now.
agreement_applied = Signal()
