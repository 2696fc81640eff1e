"""The (service, region, operation) of one signed AWS request, as botocore sent it.

Shared by the fault-injecting proxy (``tools/faulty_proxy.py``, which counts calls by it) and the
emulator's call log (``tools/emulator_calls.py``, which records them for the IAM policy check), so
both name a call the same way:

* service: the credential scope of the SigV4 ``Authorization`` header
  (``Credential=AKID/<date>/<region>/<service>/aws4_request``) or of a
  presigned URL's ``X-Amz-Credential``. This is the *signing* name: CloudWatch
  appears as ``monitoring``, ELB v1 and v2 both as ``elasticloadbalancing``.
* operation, first that applies:
  1. the ``X-Amz-Target`` header (JSON protocols: ``Logs_20140328.CreateLogGroup``
     -> ``CreateLogGroup``);
  2. the Smithy RPC v2 path ``/service/<Service>/operation/<Operation>``
     (CloudWatch with botocore >= 1.37);
  3. the ``Action`` parameter of the query string or the form body (query
     protocols: EC2, IAM, STS, RDS, ELB, SNS, ...);
  4. for REST services (S3, Lambda, Route 53, ...), the method and path matched
     against botocore's own service model (``requestUri`` templates, the query
     keys they require, and required header/query members, so PutObject and
     CopyObject are told apart by ``x-amz-copy-source``).
  What it cannot name it counts as ``"<METHOD> /<first segment>/*"`` (every
  path segment after the first replaced by ``*``): REST services whose signing
  name is not a botocore service name, virtual-hosted S3 requests
  (bucket in the Host header; the emulator uses path style), unsigned requests
  (service ``unknown``).
"""

from __future__ import annotations

import re
import threading
import urllib.parse

_CREDENTIAL = re.compile(r"Credential=([^,\s]+)")
_SMITHY_RPC = re.compile(r"^/service/([^/]+)/operation/([^/?]+)")


def credential_scope(headers, query: dict[str, list[str]]) -> tuple[str, str]:
    """(region, service) from a SigV4 Authorization header or presigned query."""
    credential = None
    match = _CREDENTIAL.search(headers.get("Authorization", "") or "")
    if match:
        credential = match.group(1)
    elif query.get("X-Amz-Credential"):
        credential = query["X-Amz-Credential"][0]
    if credential:
        parts = credential.split("/")
        if len(parts) >= 5 and parts[-1] == "aws4_request":
            return parts[-3], parts[-2]
    return "unknown", "unknown"


class RestRoutes:
    """Operation names of REST services from botocore's models, loaded lazily."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routes: dict[str, list | None] = {}
        self._protocols: dict[str, str | None] = {}

    def _load(self, service: str) -> None:
        routes = None
        protocol = None
        try:
            import botocore.loaders

            model = botocore.loaders.create_loader().load_service_model(service, "service-2")
            protocol = model["metadata"].get("protocol")
            if protocol in ("rest-json", "rest-xml"):
                routes = [self._route(name, op, model["shapes"]) for name, op in model["operations"].items()]
        except Exception:  # noqa: BLE001 - no model, no botocore: leave it unnamed
            pass
        self._routes[service] = routes
        self._protocols[service] = protocol

    @staticmethod
    def _route(name: str, operation: dict, shapes: dict) -> tuple:
        method = operation["http"]["method"].upper()
        path, _sep, query = operation["http"]["requestUri"].partition("?")
        required_query = []
        for part in filter(None, query.split("&")):
            key, _sep, value = part.partition("=")
            required_query.append((key, value or None))
        required_headers = []
        shape = shapes.get(operation.get("input", {}).get("shape", ""), {})
        for member in shape.get("required", []):
            spec = shape.get("members", {}).get(member, {})
            if spec.get("location") == "header":
                required_headers.append(spec.get("locationName", member).lower())
            elif spec.get("location") == "querystring":
                required_query.append((spec.get("locationName", member), None))
        path = path.rstrip("/") or "/"
        pattern = ""
        for piece in re.split(r"(\{[^}]+\})", path):
            if piece.startswith("{"):
                pattern += ".+" if piece.endswith("+}") else "[^/]+"
            else:
                pattern += re.escape(piece)
        literal = len(re.sub(r"\{[^}]+\}", "", path))
        return method, re.compile(pattern), tuple(required_query), tuple(required_headers), literal, name

    def protocol(self, service: str) -> str | None:
        with self._lock:
            if service not in self._protocols:
                self._load(service)
            return self._protocols[service]

    def name(self, service: str, method: str, path: str, query: dict, headers) -> str | None:
        with self._lock:
            if service not in self._routes:
                self._load(service)
            routes = self._routes[service]
        if not routes:
            return None
        path = path.rstrip("/") or "/"
        header_names = {k.lower() for k in headers.keys()}
        best = None
        for r_method, pattern, req_query, req_headers, literal, name in routes:
            if r_method != method or not pattern.fullmatch(path):
                continue
            if any(k not in query or (v is not None and v not in query[k]) for k, v in req_query):
                continue
            if any(h not in header_names for h in req_headers):
                continue
            score = (len(req_query) + len(req_headers), literal)
            if best is None or score > best[0]:
                best = (score, name)
        return best[1] if best else None


REST = RestRoutes()


def unnamed(method: str, path: str) -> str:
    segments = [s for s in path.split("/") if s]
    shape = "/" + "/".join(segments[:1] + ["*"] * (len(segments) > 1))
    return f"{method} {shape}"


def name_call(method: str, path: str, query: dict, headers, body: bytes) -> dict:
    """Service, region, operation and protocol family of one request."""
    region, service = credential_scope(headers, query)
    target = headers.get("X-Amz-Target")
    protocol = None
    operation = None
    if target:
        operation = target.rsplit(".", 1)[-1]
        protocol = "json"
    if operation is None:
        match = _SMITHY_RPC.match(path)
        if match and method == "POST":
            operation = match.group(2)
            protocol = "cbor"
    if operation is None:
        action = query.get("Action")
        if not action and method == "POST" and "x-www-form-urlencoded" in headers.get("Content-Type", ""):
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            action = form.get("Action")
        if action:
            operation = action[0]
            protocol = "ec2" if service == "ec2" else "query"
    if operation is None:
        if service == "s3":
            protocol = "s3"
        elif service != "unknown":
            family = REST.protocol(service)
            protocol = "xml" if family == "rest-xml" else "json"
        if service != "unknown":
            operation = REST.name(service, method, path, query, headers)
        if operation is None:
            operation = unnamed(method, path)
    return {"service": service, "region": region, "operation": operation, "protocol": protocol or "json"}
