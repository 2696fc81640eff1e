# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

"""Bounded waiting shared by the collection's modules.

AWS operations such as accepting a peering connection or switching a global
cluster's writer finish asynchronously; every module waits the same way: poll a
read-only check, give up after ``timeout`` seconds with a message that says what
was awaited and for how long.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Optional


def wait_for(
    module: Any,
    what: str,
    check: Callable[[], Optional[Any]],
    timeout: int,
    delay: float = 5,
) -> Any:
    """Call ``check`` until it returns something truthy and return that.

    ``module.fail_json`` is called, naming ``what``, once ``timeout`` seconds
    have passed. ``delay`` is the pause between polls (never longer than the
    time left).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        left = deadline - time.monotonic()
        if left <= 0:
            module.fail_json(msg=f"Timed out after {timeout}s waiting for {what}")
        time.sleep(min(delay, left))
