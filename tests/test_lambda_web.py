"""The web function's entry: Zappa's handler with the garbage collector paused from process start
until the first answer, then frozen and running again."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, json, sys, types
seen = []
zappa = types.ModuleType("handler")  # stands for Zappa's handler.py at the package root
zappa.lambda_handler = lambda event, context: seen.append(gc.isenabled()) or {"statusCode": 200}
sys.modules["handler"] = zappa
from pettube import lambda_web
seen.append(gc.isenabled())
lambda_web.lambda_handler({}, None)
after_first = [gc.isenabled(), gc.get_freeze_count() > 0]
lambda_web.lambda_handler({}, None)
print(json.dumps({"seen": seen, "after_first": after_first}))
"""


def test_the_collector_waits_for_the_first_answer_then_runs_on_a_frozen_heap():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["seen"] == [False, False, True]  # off while loading and answering; on for the next
    assert outcome["after_first"] == [True, True]
