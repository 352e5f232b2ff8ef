"""The kinds of a debrief's decide asks are spelled once, in `interviews.kinds`: every other
module (interviews' own, touchbases' agenda and weekly update) names the constants, so a
renamed kind cannot leave a query matching nothing. Migrations keep the value they ran with."""

from __future__ import annotations

import re
from pathlib import Path

import closeloop
from closeloop.interviews import kinds

SRC = Path(closeloop.__file__).parent
SPELLED = re.compile(r"""["'](decide_after_debrief|decide_held_debrief)["']""")


def test_the_decide_kinds_are_named_by_their_constants():
    spelled = [
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts and path != Path(kinds.__file__)
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SPELLED.search(line)
    ]
    assert spelled == []
