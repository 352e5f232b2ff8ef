"""Room on Python's frame stack for deep calls: a request, a test.

CPython 3.11 keeps frames in 16 KiB chunks. It maps a new chunk when a call needs one and
unmaps it as soon as the call that started it returns. Rendering a page goes deep and back
thousands of times, so when the depth wavers around a chunk's edge each crossing maps, faults
in and unmaps a chunk: measured on the queue pages, 600–1,300 page faults a request and up
to a tenth of its CPU time in the kernel. Calling from a frame with many (unused) locals puts
every frame pushed above it in one large chunk, mapped once per call (about 35 faults).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# 16,000 slots of 8 bytes: a 128 KiB chunk, deeper than any page or test goes.
ROOM_SLOTS = 16_000


def frame_with_room(slots: int = ROOM_SLOTS) -> Callable[..., Any]:
    """`room(call, *args)`: calls `call(*args)` from a frame with `slots` unused locals.

    The function is compiled from source because only the compiler gives a frame its size: a
    frame holds one slot per local variable its code names.
    """
    names = " = ".join(f"_{index}" for index in range(slots))
    source = f"def room(call, *args):\n    {names} = None\n    return call(*args)\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, "<frame with room>", "exec"), namespace)  # noqa: S102  (fixed source)
    return namespace["room"]


room = frame_with_room()
