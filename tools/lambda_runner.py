"""Run one Lambda function's Python handler, kept warm, for the emulator's data plane.

    python -I lambda_runner.py <task root> <module.handler>

The data plane (:mod:`emulator_dataplane`) starts one of these per function
configuration, in a process of its own, with the function's environment
variables and only fake credentials, the way Lambda keeps an execution
environment warm between invocations. It reads one request per line on stdin,
``{"event": ..., "request_id": ..., "deadline_ms": ...}``, and writes one line per
request on stdout: ``{"ok": true, "result": <the handler's return value>}`` or
``{"ok": false, "errorType": ..., "errorMessage": ...}`` as Lambda reports an
unhandled error. Whatever the handler prints goes to stderr (the emulator's log),
as Lambda sends it to CloudWatch Logs. The timeout is the data plane's to enforce:
it kills this process when the function's timeout passes.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
from typing import Any


class Context:
    """The attributes and method of Lambda's Python context object."""

    def __init__(self, request_id: str, deadline_ms: int) -> None:
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.invoked_function_arn = os.environ.get("DR_EMULATOR_FUNCTION_ARN", "")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


def _load(handler: str) -> Any:
    module_name, _ignored, function_name = handler.rpartition(".")
    if not module_name:
        raise ValueError(f"Bad handler '{handler}': not enough values to unpack")
    module = importlib.import_module(module_name.replace("/", "."))
    return getattr(module, function_name)


def main() -> int:
    task_root, handler = sys.argv[1], sys.argv[2]
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # the handler's prints go to the log, never into the protocol
    sys.stdout = sys.stderr
    sys.path.insert(0, task_root)
    os.chdir(task_root)
    try:
        function = _load(handler)
        init_error = None
    except Exception as error:  # noqa: BLE001 - reported per invocation, as Lambda's Runtime.ImportModuleError
        function = None
        init_error = {"ok": False, "errorType": "Runtime.ImportModuleError", "errorMessage": str(error)}
    for line in sys.stdin:
        request = json.loads(line)
        if function is None:
            answer = init_error
        else:
            try:
                result = function(request["event"], Context(request["request_id"], request["deadline_ms"]))
                answer = {"ok": True, "result": result}
                json.dumps(answer)
            except Exception as error:  # noqa: BLE001 - the function's unhandled error
                answer = {"ok": False, "errorType": type(error).__name__, "errorMessage": str(error)}
        try:
            text = json.dumps(answer)
        except (TypeError, ValueError) as error:
            text = json.dumps({"ok": False, "errorType": "Runtime.MarshalError", "errorMessage": str(error)})
        protocol.write(text + "\n")
        protocol.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
