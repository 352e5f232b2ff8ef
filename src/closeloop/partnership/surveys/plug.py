"""What the surveys part plugs into the layers below (called from PartnershipConfig.ready())."""

from __future__ import annotations


def plug_in() -> None:
    """Register this part's ask kinds, one-click actions, worker steps and sections."""
