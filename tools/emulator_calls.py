"""The emulator's call log: one JSON line per AWS request it serves, for the IAM policy check.

Opt-in: ``tools/emulator.py serve`` installs it when ``DR_EMULATOR_CALL_LOG`` names a file; every
request the server answers then appends ``{"caller": ..., "service": ..., "operation": ...,
"status": ...}`` there. The service and operation are named as the proxy names them
(``tools/aws_calls.py``). ``caller`` is the application id botocore puts in the User-Agent
(``app/healthcare.dr-deployer``): the collection's playbooks set it (``dr_aws_policy``, which CloudTrail
also records), so the check (``tools/iam_check.py``) can tell which policy a call needed, and tell both
from the tests' own reads, which carry none. Requests to ``/moto-api/`` are the emulator's own
controls and are not logged.

Appending whole lines under a lock keeps the file readable while the server runs and after it is
killed; several emulators may append to the same file.
"""

from __future__ import annotations

import io
import json
import os
import re
import threading
import urllib.parse
from typing import Any

from aws_calls import name_call

_APP_ID = re.compile(r"(?:^|\s)app/(\S+)")
_LOCK = threading.Lock()


def caller(user_agent: str) -> str:
    """The application id of a botocore User-Agent (``app/<id>``), or ``""``."""
    match = _APP_ID.search(user_agent or "")
    return match.group(1) if match else ""


class _Headers(dict):
    """The request's headers, looked up by any case, as ``name_call`` reads them."""

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


def _headers(environ: dict) -> _Headers:
    headers = _Headers()
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            headers[key[5:].replace("_", "-").lower()] = value
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = environ[key]
    return headers


def _form_body(environ: dict, headers: _Headers) -> bytes:
    """The body of a form-encoded POST (query protocols put ``Action`` there), put back for moto to read."""
    if environ.get("REQUEST_METHOD") != "POST" or "x-www-form-urlencoded" not in headers.get("Content-Type", ""):
        return b""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


def record(environ: dict) -> dict[str, str] | None:
    """The log entry of one WSGI request (without its status), or None for the emulator's own routes."""
    path = environ.get("PATH_INFO", "/")
    if path.startswith("/moto-api"):
        return None
    headers = _headers(environ)
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    call = name_call(environ.get("REQUEST_METHOD", "GET"), path, query, headers, _form_body(environ, headers))
    return {"caller": caller(headers.get("User-Agent", "")), "service": call["service"], "operation": call["operation"]}


def append(path: str, entry: dict) -> None:
    line = json.dumps(entry, sort_keys=True) + "\n"
    with _LOCK, open(path, "a") as handle:
        handle.write(line)


def install(path: str | None = None) -> bool:
    """Log every request of moto's server to ``path`` (default ``$DR_EMULATOR_CALL_LOG``); False when unset."""
    path = path or os.environ.get("DR_EMULATOR_CALL_LOG")
    if not path:
        return False
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication

    original = DomainDispatcherApplication.__call__

    def logged(self: Any, environ: dict, start_response: Any) -> Any:
        entry = record(environ)
        if entry is None:
            return original(self, environ, start_response)

        def start(status: str, response_headers: Any, exc_info: Any = None) -> Any:
            entry["status"] = int(status.split(" ", 1)[0])
            append(path, entry)
            return start_response(status, response_headers, exc_info)

        return original(self, environ, start)

    DomainDispatcherApplication.__call__ = logged
    return True
