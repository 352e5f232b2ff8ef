"""Events of the pipeline that higher apps subscribe to, from their `AppConfig.ready`.

Sent inside the transaction of the change, so a receiver's work commits or rolls back with
it; the pipeline never imports its subscribers (docs/architecture.md, "Registries and hooks").
"""

from __future__ import annotations

from django.dispatch import Signal

# An application closed: rejected, withdrawn or hired (interviews call off what is left).
# Keyword arguments: application, by (a User or None), reason (words for the record).
application_closed = Signal()

# An active application was moved into another stage (`application_move`: one candidate,
# a bulk move, a debrief's advance, a booking that moves the candidate to its interview
# stage), sent once the move is recorded. An app does what
# entering that stage, or leaving the one before, means to it (interviews open the debrief
# of the rounds held when the stage is a Debrief stage, and record the debriefs still open
# as decided by a move out of one), or refuses the move with a ValidationError saying why, which
# rolls the move back (a bulk move names the candidate). Keyword arguments: application (in
# its new stage), by, from_stage, to_stage.
application_moved = Signal()

# The HM passed citing a must-have, a deal-breaker or another reason (the intake records the
# citation for its drift watch). Keyword arguments: submission, kind, criterion.
submission_passed_citing = Signal()

# A duplicate record is being folded into another (sent before the duplicate is deleted):
# an app with rows about a candidate (not about one of their applications, which move with
# the application) points them at the record kept. Keyword arguments: keep, duplicate.
candidate_merging = Signal()

# Merging two records of one person who are both on a job keeps one entry there and removes
# the other (sent before it is deleted): an app with rows about the entry removed points
# them at the one that stays. Keyword arguments: stays, goes (applications of one job).
application_folding = Signal()
