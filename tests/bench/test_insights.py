"""bench/insights.py at toy size: the benchmark still runs end to end and checks itself (the
selector and the hand-written SQL agree on every figure, or it fails).

Not a performance test (performance is measured in bench/, never by timed assertions).

See docs/architecture.md#tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_asks_sweep import ROOT, bench_database_url

SCRIPT = ROOT / "bench" / "insights.py"


@pytest.mark.slow
def test_the_selector_agrees_with_the_hand_written_sql_in_three_queries(
    tmp_path: Path, bench_template: str
):
    out = tmp_path / "result.json"
    env = {**os.environ, "DATABASE_URL": bench_database_url(tmp_path)}
    env["CLOSELOOP_DATA_DIR"] = str(tmp_path)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, str(SCRIPT), "--asks", "3000", "--owners", "15", "--repeat", "1",
               "--template", bench_template]  # fmt: skip
    finished = subprocess.run(
        [*command, "--json", str(out)], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=240,
    )  # fmt: skip

    assert finished.returncode == 0, finished.stdout + finished.stderr
    result = json.loads(out.read_text())
    assert result["data"]["asks"] == 3000
    assert result["selector"]["queries"] == 3
    assert result["people"] > 0
