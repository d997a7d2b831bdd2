"""Benchmark callback: when each task started and ended and each loop item finished.

For extrapolating a loop from a sample, and for the time of one task apart from the playbook around
it. Enabled by bench.py only (ANSIBLE_CALLBACKS_ENABLED=item_times); appends one JSON line per task
start, per finished task and per finished loop item to the file named by BENCH_ITEM_TIMES.
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "item_times"
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, **event):
        with open(os.environ["BENCH_ITEM_TIMES"], "a", encoding="utf-8") as handle:
            handle.write(json.dumps(dict(event, t=time.time())) + "\n")

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._record(event="task", name=str(task.get_name()))

    def v2_runner_on_ok(self, result):
        self._record(event="ok", name=str(result._task.get_name()))  # pylint: disable=protected-access

    def v2_runner_item_on_ok(self, result):
        self._record(event="item", item=str(result._result.get("item")), ok=True)  # pylint: disable=protected-access

    def v2_runner_item_on_failed(self, result):
        self._record(event="item", item=str(result._result.get("item")), ok=False)  # pylint: disable=protected-access
