# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""Answer Application Load Balancer events.

Routes:

- ``GET|HEAD /health``: 200 with ``status``, ``region``, ``isPrimary`` and a
  UTC ``timestamp``. It touches nothing else (no database), so Route 53 and the
  ALB's own health checks measure the region, not a dependency. With the fault
  switch ``DR_FAULT_HEALTH`` set to ``true`` it answers 503 with ``status``
  ``unhealthy`` instead, so a DR drill can make the region fail its health
  checks without touching anything else.
- ``GET|HEAD /``: the placeholder application's description.
- ``POST /echo``: returns the JSON body it received (proves the ALB -> Lambda
  path end to end, base64 bodies included).
- any other path: 404; a served path with another method: 405 with ``Allow``.

Every answer is JSON. A malformed event gets a 400, an unexpected error a 500
with a generic message: a response never carries a stack trace (the log does).

Configuration comes from the environment the role sets, never a secret:
``DR_REGION`` (falls back to Lambda's ``AWS_REGION``), ``DR_IS_PRIMARY``
(``true``/``false``), ``DR_ENVIRONMENT`` and, once Aurora exists,
``DR_DB_ENDPOINT`` (only whether it is set is reported).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from datetime import datetime, timezone
from http import HTTPStatus
from typing import Any, Callable, Dict, Mapping, Optional, Tuple

SERVICE = "healthcare-dr-app"
MAX_ECHO_BYTES = 64 * 1024

LOGGER = logging.getLogger(__name__)
LOGGER.setLevel(logging.INFO)


class BadRequest(Exception):
    """The event is not a request this handler can read."""


class Request:
    """The parts of an ALB event the application uses."""

    def __init__(self, method: str, path: str, headers: Dict[str, str], body: bytes, multi_value: bool) -> None:
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        # The ALB answers in the shape it asked in: with multi-value headers
        # enabled on the target group it reads only ``multiValueHeaders``.
        self.multi_value = multi_value


# --- configuration -----------------------------------------------------------


def _truthy(value: Optional[str]) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def region() -> str:
    return os.environ.get("DR_REGION") or os.environ.get("AWS_REGION") or "unknown"


def is_primary() -> bool:
    return _truthy(os.environ.get("DR_IS_PRIMARY"))


def utc_now() -> str:
    """ISO-8601 UTC, millisecond precision, ``Z`` suffix."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- reading the event -------------------------------------------------------


def _headers(event: Mapping[str, Any]) -> Tuple[Dict[str, str], bool]:
    """Header names lower-cased; a multi-value header keeps its last value."""
    multi = event.get("multiValueHeaders")
    if multi is not None:
        if not isinstance(multi, Mapping):
            raise BadRequest("multiValueHeaders must be an object")
        headers = {}
        for name, values in multi.items():
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise BadRequest("multiValueHeaders values must be lists of strings")
            if values:
                headers[str(name).lower()] = values[-1]
        return headers, True
    single = event.get("headers") or {}
    if not isinstance(single, Mapping) or not all(isinstance(v, str) for v in single.values()):
        raise BadRequest("headers must be an object of strings")
    return {str(k).lower(): v for k, v in single.items()}, False


def _body(event: Mapping[str, Any]) -> bytes:
    body = event.get("body")
    if body is None:
        return b""
    if not isinstance(body, str):
        raise BadRequest("body must be a string")
    if event.get("isBase64Encoded"):
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadRequest("body is not valid base64") from exc
    return body.encode("utf-8")


def parse(event: Any) -> Request:
    """Read an ALB event, or raise :class:`BadRequest` saying what is wrong."""
    if not isinstance(event, Mapping):
        raise BadRequest("event must be an object")
    method = event.get("httpMethod")
    path = event.get("path")
    if not isinstance(method, str) or not method:
        raise BadRequest("httpMethod is missing")
    if not isinstance(path, str) or not path.startswith("/"):
        raise BadRequest("path is missing")
    headers, multi_value = _headers(event)
    return Request(method.upper(), path, headers, _body(event), multi_value)


def _multi_value(event: Any) -> bool:
    return isinstance(event, Mapping) and isinstance(event.get("multiValueHeaders"), Mapping)


# --- answering ---------------------------------------------------------------


def respond(
    status: int,
    payload: Optional[Mapping[str, Any]],
    multi_value: bool = False,
    extra_headers: Optional[Mapping[str, str]] = None,
) -> Dict[str, Any]:
    """An ALB Lambda response with a JSON body (none when ``payload`` is None)."""
    headers = {"Content-Type": "application/json", "Cache-Control": "no-store"}
    headers.update(extra_headers or {})
    response: Dict[str, Any] = {
        "statusCode": status,
        "statusDescription": f"{status} {HTTPStatus(status).phrase}",
        "isBase64Encoded": False,
        "body": "" if payload is None else json.dumps(payload, separators=(",", ":"), sort_keys=True),
    }
    if multi_value:
        response["multiValueHeaders"] = {name: [value] for name, value in headers.items()}
    else:
        response["headers"] = headers
    return response


def error(status: int, code: str, message: str) -> Tuple[int, Dict[str, Any]]:
    return status, {"error": {"code": code, "message": message}}


def health(request: Request) -> Tuple[int, Dict[str, Any]]:
    if _truthy(os.environ.get("DR_FAULT_HEALTH")):
        return 503, {"status": "unhealthy", "region": region(), "isPrimary": is_primary(), "timestamp": utc_now()}
    return 200, {"status": "healthy", "region": region(), "isPrimary": is_primary(), "timestamp": utc_now()}


def index(request: Request) -> Tuple[int, Dict[str, Any]]:
    return 200, {
        "service": SERVICE,
        "region": region(),
        "isPrimary": is_primary(),
        "environment": os.environ.get("DR_ENVIRONMENT", ""),
        "databaseConfigured": bool(os.environ.get("DR_DB_ENDPOINT")),
        "timestamp": utc_now(),
    }


def echo(request: Request) -> Tuple[int, Dict[str, Any]]:
    if len(request.body) > MAX_ECHO_BYTES:
        return error(413, "payload_too_large", f"the body must be at most {MAX_ECHO_BYTES} bytes")
    try:
        received = json.loads(request.body.decode("utf-8")) if request.body else None
    except (UnicodeDecodeError, ValueError):
        return error(400, "bad_request", "the body must be JSON")
    return 200, {"received": received, "bytes": len(request.body), "region": region()}


Handler = Callable[[Request], Tuple[int, Dict[str, Any]]]

ROUTES: Dict[str, Dict[str, Handler]] = {
    "/health": {"GET": health, "HEAD": health},
    "/": {"GET": index, "HEAD": index},
    "/echo": {"POST": echo},
}


def route(request: Request) -> Tuple[int, Dict[str, Any], Dict[str, str]]:
    path = request.path.rstrip("/") or "/"
    methods = ROUTES.get(path)
    if methods is None:
        status, payload = error(404, "not_found", f"no resource at {path}")
        return status, payload, {}
    handler = methods.get(request.method)
    if handler is None:
        allow = ", ".join(sorted(methods))
        status, payload = error(405, "method_not_allowed", f"{request.method} is not served on {path}; use {allow}")
        return status, payload, {"Allow": allow}
    status, payload = handler(request)
    return status, payload, {}


def lambda_handler(event: Any, context: Any) -> Dict[str, Any]:
    """Lambda entry point for ALB target groups."""
    multi_value = _multi_value(event)
    try:
        request = parse(event)
    except BadRequest as exc:
        LOGGER.warning("rejected a malformed event: %s", exc)
        return respond(*error(400, "bad_request", str(exc)), multi_value=multi_value)
    try:
        status, payload, extra = route(request)
    except Exception:  # noqa: BLE001 - the client gets a generic 500, the log the trace
        LOGGER.exception("unhandled error for %s %s", request.method, request.path)
        return respond(*error(500, "internal_error", "the request could not be served"), multi_value=multi_value)
    LOGGER.info("%s %s -> %s", request.method, request.path, status)
    body = None if request.method == "HEAD" else payload
    return respond(status, body, multi_value=request.multi_value, extra_headers=extra)
