"""A local data plane for the emulator: ALBs serve their Lambda functions, Route 53
checks them, and DNS answers follow the checks. Loopback only.

moto 5.2 keeps the control plane (what exists, how it is configured) and serves
no traffic: an ALB answers no HTTP, a function is never invoked without a
container engine, every health check passes, and there is no ``TestDNSAnswer``.
This module adds the part of AWS's data plane that the stack's failover depends
on, each to AWS's documented behaviour:

- **Load balancers** (Elastic Load Balancing user guide, "Lambda functions as
  targets"). Each internet-facing application load balancer's HTTP listener,
  and HTTPS listener whose certificate (with its key) is in ACM, answers on a
  port of 127.0.0.1 the operating system picks. ``GET /moto-api/data-plane/load-balancers``
  lists them: DNS name -> ``127.0.0.1:<port>`` per listener. A request goes to
  the listener's default action: ``forward`` invokes the target group's
  registered Lambda function with the ALB event (``multiValueHeaders`` and
  ``multiValueQueryStringParameters`` when the target group's
  ``lambda.multi_value_headers.enabled`` is true, else ``headers`` and
  ``queryStringParameters``; the query string passed as received, not decoded;
  ``x-forwarded-*`` headers added) and maps its answer back (``statusCode``,
  ``statusDescription``, headers in the shape the target group asks, ``body``,
  ``isBase64Encoded``); 502 when the function fails, times out or answers
  malformed, 503 when the target group has no registered target; ``redirect``
  and ``fixed-response`` answer as configured. Listener rules other than the
  default are not evaluated.
- **Functions** run from their deployed package (the zip moto stores) in a
  separate Python process (``tools/lambda_runner.py``, ``python -I``) with the
  function's handler, environment variables, ``AWS_REGION``/``AWS_LAMBDA_*``
  variables and only fake credentials, kept warm per configuration as Lambda
  keeps an execution environment (a new code hash, handler or environment
  starts a new one) and killed at the function's timeout. One invocation at a
  time per function; the runtime is this interpreter, whatever ``Runtime`` says.
- **Route 53 health checks** (Route 53 developer guide, "How Amazon Route 53
  determines whether a health check is healthy"). Every HTTP, HTTPS,
  HTTP_STR_MATCH, HTTPS_STR_MATCH and TCP check is probed every
  ``RequestInterval`` x ``$DR_EMULATOR_CHECK_SCALE`` seconds: connect within
  4 s, a 2xx or 3xx status within 2 s, the search string in the first 5,120
  bytes of the body for ``*_STR_MATCH``. A check changes status after
  ``FailureThreshold`` consecutive probes that disagree with it, and starts
  healthy ("considered healthy until there is enough data"). Disabled is
  healthy, ``Inverted`` flips, ``CALCULATED`` counts healthy children against
  ``HealthThreshold``; ``CLOUDWATCH_METRIC`` checks are not evaluated (healthy).
  The host is ``FullyQualifiedDomainName``: an ALB's DNS name maps to its
  loopback listener on the check's port. Any other host, an IP address, or a
  port the ALB does not listen on fails the probe *without* network traffic
  ("DNS resolution failed" / "Connection refused"). One probe stands for every
  checker region: ``GetHealthCheckStatus`` lists one observation per checker
  region (the check's ``Regions``, or Route 53's default eight) carrying the
  last probe's result.
- **HealthCheckStatus** (``AWS/Route53``, dimension ``HealthCheckId``, in
  us-east-1) gets 1 or 0 after every probe, and the CloudWatch alarms on that
  metric are evaluated the way CloudWatch documents it ("Evaluating an alarm"):
  ``DatapointsToAlarm`` (default ``EvaluationPeriods``) of the last
  ``EvaluationPeriods`` periods breaching go to ALARM, fewer to OK, with
  ``TreatMissingData``; periods scaled like the checks. Other alarms stay as
  moto keeps them.
- **TestDNSAnswer** (Route 53 API reference; developer guide, "Active-passive
  failover" and "Evaluate target health") answers a record set from the checks'
  current state: simple records with their values; failover records with the
  PRIMARY while it is healthy, else the SECONDARY while it is healthy, else the
  PRIMARY (both unhealthy: Route 53 answers as if both were healthy). A record
  is healthy when its health check is (none: healthy) and, for an alias with
  ``EvaluateTargetHealth``, when its target is: an ALB with a registered target
  in the target group its listeners forward to. An alias to an ALB answers with
  the ALB's DNS name (AWS answers with the load balancer's addresses, which the
  emulator's ALBs do not have). Weighted, latency, geolocation and multivalue
  records are not evaluated: their first record set answers.

Not emulated: a DNS server, resolvers, TTLs and caches, latency routing, the
ALB's own target health checks (``DescribeTargetHealth`` stays moto's), listener
rules, real time (intervals and periods are scaled).

``$DR_EMULATOR_DATA_PLANE=off`` leaves all of it out: moto's answers are kept.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import http.client
import http.server
import io
import json
import os
import select
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlparse

HOST = "127.0.0.1"
RUNNER = Path(__file__).resolve().parent / "lambda_runner.py"

# Route 53's checker regions when a health check names none (API reference, HealthCheckConfig.Regions).
DEFAULT_CHECKER_REGIONS = (
    "us-east-1",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
)
CONNECT_TIMEOUT = 4.0  # Route 53: "within four seconds" to connect
RESPONSE_TIMEOUT = 2.0  # "... and an HTTP status code of 2xx or 3xx within two seconds after connecting"
SEARCH_BYTES = 5120
MAX_RESPONSE_BYTES = 1024 * 1024  # ALB: a Lambda response over 1 MB is a 502
METRIC_REGION = "us-east-1"  # Route 53 publishes its metrics there

_STATE: dict[str, Any] = {"plane": None}


def enabled() -> bool:
    return os.environ.get("DR_EMULATOR_DATA_PLANE", "on").strip().lower() not in ("off", "0", "false", "no")


def check_scale() -> float:
    return float(os.environ.get("DR_EMULATOR_CHECK_SCALE", "0.1"))


def plane() -> "DataPlane | None":
    return _STATE["plane"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _backends(backend_dict: Any) -> list[tuple[str, str, Any]]:
    """``(account, region, backend)`` of every backend already made (none is made by looking)."""
    found = []
    for account_id, regions in list(dict.items(backend_dict)):
        for region, backend in list(dict.items(regions)):
            found.append((account_id, region, backend))
    return found


# --- functions -------------------------------------------------------------------------------


class FunctionError(Exception):
    """The invocation failed: the function raised, timed out or could not start."""


class Worker:
    """One warm execution environment: a ``lambda_runner.py`` process for one function configuration."""

    def __init__(self, key: tuple, task_root: Path, handler: str, env: dict[str, str]) -> None:
        self.key = key
        self.lock = threading.Lock()
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(RUNNER), str(task_root), handler],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,  # the emulator's log
            env=env,
            cwd=str(task_root),
        )

    def invoke(self, event: Any, timeout: float) -> Any:
        with self.lock:
            if self.process.poll() is not None:
                raise FunctionError(f"Runtime exited with error: exit status {self.process.returncode}")
            deadline = time.time() + timeout
            request = {"event": event, "request_id": str(uuid.uuid4()), "deadline_ms": int(deadline * 1000)}
            assert self.process.stdin and self.process.stdout
            try:
                self.process.stdin.write((json.dumps(request) + "\n").encode())
                self.process.stdin.flush()
            except (BrokenPipeError, OSError) as error:
                raise FunctionError(f"Runtime exited with error: {error}") from error
            ready, _ignored, _ignored = select.select([self.process.stdout], [], [], max(0.0, deadline - time.time()))
            if not ready:
                self.stop()
                raise FunctionError(f"Task timed out after {timeout:.2f} seconds")
            line = self.process.stdout.readline()
            if not line:
                raise FunctionError("Runtime exited without providing a reason")
            answer = json.loads(line)
        if not answer.get("ok"):
            raise FunctionError(f"{answer.get('errorType')}: {answer.get('errorMessage')}")
        return answer.get("result")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream:
                stream.close()


class Functions:
    """Invokes functions from the packages moto stores."""

    def __init__(self, cache_dir: Path, endpoint_url: str | None) -> None:
        self.cache_dir = cache_dir
        self.endpoint_url = endpoint_url
        self.workers: dict[tuple[str, str, str], Worker] = {}
        self.lock = threading.Lock()

    def task_root(self, code: bytes) -> Path:
        digest = hashlib.sha256(code).hexdigest()
        root = self.cache_dir / digest
        if not root.is_dir():
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            temporary = self.cache_dir / f"{digest}.{os.getpid()}.{threading.get_ident()}.tmp"
            with zipfile.ZipFile(io.BytesIO(code)) as archive:
                archive.extractall(temporary)  # zipfile drops absolute and ".." parts of member names
            try:
                temporary.rename(root)
            except OSError:  # made meanwhile by another thread
                shutil.rmtree(temporary, ignore_errors=True)
        return root

    def environment(self, function: Any, region: str, task_root: Path) -> dict[str, str]:
        env = {str(k): str(v) for k, v in (function.environment_vars or {}).items()}
        env.update(
            {
                # Lambda's reserved variables, which a function's own cannot replace.
                "PATH": "/usr/local/bin:/usr/bin:/bin",
                "LANG": "en_US.UTF-8",
                "TZ": ":UTC",
                "LAMBDA_TASK_ROOT": str(task_root),
                "_HANDLER": function.handler or "",
                "AWS_REGION": region,
                "AWS_DEFAULT_REGION": region,
                "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.run_time or 'python3'}",
                "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.function_name}",
                "AWS_LAMBDA_LOG_STREAM_NAME": "emulator",
                "DR_EMULATOR_FUNCTION_ARN": function.function_arn,
                # Only the emulator's fake credentials, and only the emulator to call.
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_SESSION_TOKEN": "testing",
            }
        )
        if self.endpoint_url:
            env["AWS_ENDPOINT_URL"] = self.endpoint_url
        return env

    def invoke(self, account_id: str, region: str, function_arn: str, event: Any) -> Any:
        from moto.awslambda.models import lambda_backends

        try:
            function = lambda_backends[account_id][region].get_function(function_arn)
        except Exception as error:  # noqa: BLE001 - any lookup failure is a failed invocation
            raise FunctionError(f"ResourceNotFoundException: {function_arn}") from error
        code = getattr(function, "code_bytes", b"") or b""
        if not code:
            raise FunctionError(f"no package stored for {function.function_name}")
        task_root = self.task_root(code)
        env = self.environment(function, region, task_root)
        key = (hashlib.sha256(code).hexdigest(), function.handler, tuple(sorted(env.items())))
        name = (account_id, region, function.function_arn)
        with self.lock:
            worker = self.workers.get(name)
            if worker is None or worker.key != key or worker.process.poll() is not None:
                if worker is not None:
                    worker.stop()
                worker = Worker(key, task_root, function.handler or "", env)
                self.workers[name] = worker
        return worker.invoke(event, float(function.timeout or 3))

    def stop(self) -> None:
        with self.lock:
            for worker in self.workers.values():
                worker.stop()
            self.workers.clear()

    def forget_deleted(self) -> None:
        """Stop the execution environments of functions that no longer exist (deleted, or a reset)."""
        if not self.workers or "moto.awslambda.models" not in sys.modules:
            return
        from moto.awslambda.models import lambda_backends

        existing = {
            (account_id, region, function.function_arn)
            for account_id, region, backend in _backends(lambda_backends)
            for function in backend.list_functions()
        }
        with self.lock:
            for name in [n for n in self.workers if n not in existing]:
                self.workers.pop(name).stop()


# --- load balancers --------------------------------------------------------------------------


def _is_text(content_type: str) -> bool:
    kind = (content_type or "").split(";")[0].strip().lower()
    return kind.startswith("text/") or kind in (
        "application/json",
        "application/javascript",
        "application/xml",
        "application/x-www-form-urlencoded",
    )


def alb_event(
    method: str,
    raw_path: str,
    headers: list[tuple[str, str]],
    body: bytes,
    target_group_arn: str,
    multi_value: bool,
    listener_port: int,
    protocol: str,
    client_ip: str,
) -> dict[str, Any]:
    """The event an ALB sends a Lambda target (ELB user guide, "Receive events from the load balancer")."""
    parsed = urlparse(raw_path)
    pairs: list[tuple[str, str]] = []
    for part in parsed.query.split("&") if parsed.query else []:
        name, _ignored, value = part.partition("=")
        pairs.append((name, value))  # as received: ALB does not URL-decode them
    all_headers = [(name.lower(), value) for name, value in headers]
    all_headers += [
        ("x-forwarded-for", client_ip),
        ("x-forwarded-port", str(listener_port)),
        ("x-forwarded-proto", protocol.lower()),
        ("x-amzn-trace-id", f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"),
    ]
    content_type = next((v for n, v in all_headers if n == "content-type"), "")
    is_base64 = bool(body) and not _is_text(content_type)
    event: dict[str, Any] = {
        "requestContext": {"elb": {"targetGroupArn": target_group_arn}},
        "httpMethod": method,
        "path": parsed.path or "/",
        "body": base64.b64encode(body).decode() if is_base64 else body.decode("utf-8", "replace"),
        "isBase64Encoded": is_base64,
    }
    if multi_value:
        multi_headers: dict[str, list[str]] = {}
        for name, value in all_headers:
            multi_headers.setdefault(name, []).append(value)
        multi_query: dict[str, list[str]] = {}
        for name, value in pairs:
            multi_query.setdefault(name, []).append(value)
        event["multiValueHeaders"] = multi_headers
        event["multiValueQueryStringParameters"] = multi_query
    else:
        event["headers"] = dict(all_headers)  # the last value of each
        event["queryStringParameters"] = dict(pairs)
    return event


class BadResponse(Exception):
    """The function's answer is not a response an ALB can send."""


def alb_response(result: Any, multi_value: bool) -> tuple[int, str, list[tuple[str, str]], bytes]:
    """Status, reason, headers and body an ALB makes of a Lambda function's answer, or :class:`BadResponse`."""
    if not isinstance(result, dict):
        raise BadResponse("the response is not a JSON object")
    status = result.get("statusCode")
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise BadResponse(f"statusCode {status!r} is not an HTTP status")
    description = result.get("statusDescription")
    reason = str(description).split(" ", 1)[1] if isinstance(description, str) and " " in description else ""
    headers: list[tuple[str, str]] = []
    if multi_value:
        source = result.get("multiValueHeaders") or {}
        if not isinstance(source, dict) or not all(isinstance(v, list) for v in source.values()):
            raise BadResponse("multiValueHeaders must map names to lists")
        headers = [(str(name), str(value)) for name, values in source.items() for value in values]
    else:
        source = result.get("headers") or {}
        if not isinstance(source, dict):
            raise BadResponse("headers must be an object")
        headers = [(str(name), str(value)) for name, value in source.items()]
    body = result.get("body") or ""
    if not isinstance(body, str):
        raise BadResponse("body must be a string")
    if result.get("isBase64Encoded"):
        try:
            data = base64.b64decode(body, validate=True)
        except ValueError as error:
            raise BadResponse("body is not valid base64") from error
    else:
        data = body.encode("utf-8")
    if len(data) > MAX_RESPONSE_BYTES:
        raise BadResponse("the response is larger than 1 MB")
    return status, reason, headers, data


def _lb_error_page(status: int) -> bytes:
    phrase = http.HTTPStatus(status).phrase
    return (
        f"<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {phrase}</h1></center>\r\n</body>\r\n</html>\r\n"
    ).encode()


class Listener:
    """One ALB listener served on a loopback port."""

    def __init__(self, plane: "DataPlane", account_id: str, region: str, lb: Any, listener: Any) -> None:
        self.plane = plane
        self.account_id = account_id
        self.region = region
        self.lb_arn = lb.arn
        self.dns_name = lb.dns_name
        self.listener_arn = listener.arn
        self.protocol = listener.protocol
        self.port = int(listener.port)
        self.certificate = listener.certificate
        handler = type("ListenerHandler", (_ListenerHandler,), {"listener": self})
        self.server = http.server.ThreadingHTTPServer((HOST, 0), handler)
        self.server.daemon_threads = True
        if self.protocol == "HTTPS":
            self.server.socket = plane.tls_context(account_id, region, listener.certificate).wrap_socket(
                self.server.socket, server_side=True
            )
        self.local_port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"alb-{self.port}", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def describe(self) -> dict[str, Any]:
        scheme = self.protocol.lower()
        return {
            "protocol": self.protocol,
            "port": self.port,
            "address": HOST,
            "local_port": self.local_port,
            "url": f"{scheme}://{HOST}:{self.local_port}",
        }

    def answer(
        self, method: str, path: str, headers: list[tuple[str, str]], body: bytes, client_ip: str
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        from moto.elbv2.models import elbv2_backends

        backend = elbv2_backends[self.account_id][self.region]
        lb = backend.load_balancers.get(self.lb_arn)
        listener = lb.listeners.get(self.listener_arn) if lb else None
        if listener is None:
            return 503, "", [], _lb_error_page(503)
        actions = sorted(listener.default_actions, key=lambda a: int(a.data.get("Order") or 0))
        for action in actions:
            kind = action.data.get("Type")
            if kind == "redirect":
                return self.redirect(action.data.get("RedirectConfig") or {}, path, headers)
            if kind == "fixed-response":
                config = action.data.get("FixedResponseConfig") or {}
                content_type = config.get("ContentType") or "text/plain"
                return (
                    int(config.get("StatusCode") or 200),
                    "",
                    [("Content-Type", content_type)],
                    (config.get("MessageBody") or "").encode(),
                )
            if kind == "forward":
                return self.forward(backend, action.data, method, path, headers, body, client_ip)
        return 503, "", [], _lb_error_page(503)

    def redirect(
        self, config: dict[str, Any], path: str, headers: list[tuple[str, str]]
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        parsed = urlparse(path)
        host = next((v for n, v in headers if n.lower() == "host"), self.dns_name).split(":")[0]
        values = {
            "#{protocol}": self.protocol.lower(),
            "#{host}": host,
            "#{port}": str(self.port),
            "#{path}": parsed.path.lstrip("/"),
            "#{query}": parsed.query,
        }

        def fill(template: str) -> str:
            for name, value in values.items():
                template = template.replace(name, value)
            return template

        protocol = fill(config.get("Protocol") or "#{protocol}").lower()
        location = (
            f"{protocol}://{fill(config.get('Host') or '#{host}')}:{fill(config.get('Port') or '#{port}')}"
            f"/{fill(config.get('Path') or '/#{path}').lstrip('/')}"
        )
        query = fill(config.get("Query") or "#{query}")
        if query:
            location += f"?{query}"
        status = 301 if config.get("StatusCode", "HTTP_301") == "HTTP_301" else 302
        return status, "", [("Location", location)], b""

    def forward(
        self,
        backend: Any,
        data: dict[str, Any],
        method: str,
        path: str,
        headers: list[tuple[str, str]],
        body: bytes,
        client_ip: str,
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        arns = [data["TargetGroupArn"]] if data.get("TargetGroupArn") else []
        arns += [g["TargetGroupArn"] for g in (data.get("ForwardConfig") or {}).get("TargetGroups", [])]
        group = next((backend.target_groups.get(arn) for arn in arns if backend.target_groups.get(arn)), None)
        if group is None or not group.targets:
            return 503, "", [], _lb_error_page(503)  # "The target groups ... have no registered targets"
        if group.target_type != "lambda":
            return 502, "", [], _lb_error_page(502)  # only Lambda targets are served here
        multi_value = str(group.attributes.get("lambda.multi_value_headers.enabled", "false")).lower() == "true"
        event = alb_event(
            method, path, headers, body, group.arn, multi_value, self.port, self.protocol, client_ip
        )
        function_arn = next(iter(group.targets))
        try:
            result = self.plane.functions.invoke(self.account_id, self.region, function_arn, event)
            return alb_response(result, multi_value)
        except (FunctionError, BadResponse) as error:
            print(f"data plane: {self.dns_name}:{self.port} {method} {path}: 502: {error}", file=sys.stderr)
            return 502, "", [], _lb_error_page(502)


class _ListenerHandler(http.server.BaseHTTPRequestHandler):
    listener: Listener
    protocol_version = "HTTP/1.1"
    server_version = "awselb/2.0"
    sys_version = ""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, reason, headers, data = self.listener.answer(
            self.command, self.path, list(self.headers.items()), body, self.client_address[0]
        )
        self.send_response(status, reason or None)
        for name, value in headers:
            if name.lower() not in ("content-length", "connection", "transfer-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _serve

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's signature
        pass


# --- health checks ---------------------------------------------------------------------------


class CheckState:
    """What the checkers know of one health check."""

    def __init__(self, health_check: Any) -> None:
        self.health_check = health_check
        self.healthy = True  # "considered healthy until there's enough data"
        self.streak = 0  # consecutive probes that disagree with ``healthy``
        self.last_status = ""
        self.checked_time: dt.datetime | None = None
        self.next_due = 0.0
        self.in_flight = False
        self.samples: deque[tuple[float, float]] = deque(maxlen=4096)

    def record(self, success: bool, status: str, threshold: int) -> bool:
        """Note a probe; returns whether the status changed."""
        self.last_status = status
        self.checked_time = _now()
        if success == self.healthy:
            self.streak = 0
            return False
        self.streak += 1
        if self.streak >= max(1, threshold):
            self.healthy = success
            self.streak = 0
            return True
        return False


class DataPlane:
    """The load balancers' listeners, the functions and the Route 53 checkers of one emulator."""

    def __init__(self, state_dir: Path, scale: float | None = None, endpoint_url: str | None = None) -> None:
        self.state_dir = state_dir
        self.scale = check_scale() if scale is None else scale
        self.functions = Functions(state_dir / "functions", endpoint_url)
        self.listeners: dict[tuple[str, str], Listener] = {}
        self.checks: dict[tuple[str, str], CheckState] = {}
        self.lock = threading.RLock()
        self.stopping = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="r53-checker")
        self.thread: threading.Thread | None = None
        self._tls: dict[str, ssl.SSLContext] = {}
        self._last_sync = 0.0

    # lifecycle

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="data-plane", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread:
            self.thread.join(timeout=5)
        self.pool.shutdown(wait=True, cancel_futures=True)
        with self.lock:
            for listener in self.listeners.values():
                listener.stop()
            self.listeners.clear()
        self.functions.stop()

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                if time.monotonic() - self._last_sync >= 0.5:
                    self.sync_listeners()
                    self.functions.forget_deleted()
                self.run_due_checks()
            except Exception as error:  # noqa: BLE001 - the data plane must outlive a bad object
                print(f"data plane: {type(error).__name__}: {error}", file=sys.stderr)
            self.stopping.wait(self.tick())

    def tick(self) -> float:
        return min(0.5, max(0.02, 10 * self.scale / 5))

    # load balancers

    def tls_context(self, account_id: str, region: str, certificate_arn: str | None) -> ssl.SSLContext:
        from moto.acm.models import acm_backends

        if not certificate_arn:
            raise LookupError("an HTTPS listener without a certificate")
        if certificate_arn not in self._tls:
            bundle = acm_backends[account_id][region].get_certificate(certificate_arn)
            folder = self.state_dir / "tls"
            folder.mkdir(parents=True, exist_ok=True)
            name = hashlib.sha256(certificate_arn.encode()).hexdigest()[:16]
            cert_file, key_file = folder / f"{name}.crt", folder / f"{name}.key"
            cert_file.write_bytes(bundle.cert + (b"\n" + bundle.chain if getattr(bundle, "chain", None) else b""))
            key_file.touch(mode=0o600)
            key_file.write_bytes(bundle.key)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert_file, key_file)
            self._tls[certificate_arn] = context
        return self._tls[certificate_arn]

    def wanted_listeners(self) -> dict[tuple[str, str], tuple[str, str, Any, Any]]:
        wanted: dict[tuple[str, str], tuple[str, str, Any, Any]] = {}
        if "moto.elbv2.models" not in sys.modules:
            return wanted  # no ELB request yet, so no ALB: importing it here would slow the server's start
        from moto.elbv2.models import elbv2_backends

        for account_id, region, backend in _backends(elbv2_backends):
            for lb in list(backend.load_balancers.values()):
                if lb.type != "application" or lb.scheme != "internet-facing":
                    continue
                for listener in list(lb.listeners.values()):
                    if listener.protocol in ("HTTP", "HTTPS"):
                        wanted[(lb.arn, listener.arn)] = (account_id, region, lb, listener)
        return wanted

    def sync_listeners(self) -> None:
        """Serve every internet-facing ALB listener there is, and no other."""
        self._last_sync = time.monotonic()
        wanted = self.wanted_listeners()
        with self.lock:
            for key in [k for k in self.listeners if k not in wanted]:
                self.listeners.pop(key).stop()
            for key, (account_id, region, lb, listener) in wanted.items():
                served = self.listeners.get(key)
                if served is not None and (served.protocol, served.port, served.certificate) == (
                    listener.protocol,
                    int(listener.port),
                    listener.certificate,
                ):
                    continue
                if served is not None:
                    self.listeners.pop(key).stop()
                try:
                    self.listeners[key] = Listener(self, account_id, region, lb, listener)
                except (LookupError, ssl.SSLError, OSError, AttributeError, ValueError) as error:
                    print(f"data plane: {lb.dns_name}:{listener.port} not served: {error}", file=sys.stderr)

    def load_balancers(self) -> list[dict[str, Any]]:
        self.sync_listeners()
        found: dict[str, dict[str, Any]] = {}
        with self.lock:
            for listener in self.listeners.values():
                entry = found.setdefault(
                    listener.lb_arn,
                    {
                        "dns_name": listener.dns_name,
                        "arn": listener.lb_arn,
                        "account_id": listener.account_id,
                        "region": listener.region,
                        "listeners": [],
                    },
                )
                entry["listeners"].append(listener.describe())
        for entry in found.values():
            entry["listeners"].sort(key=lambda item: item["port"])
        return sorted(found.values(), key=lambda item: (item["region"], item["dns_name"]))

    def listener_for(self, host: str, port: int) -> Listener | None:
        name = (host or "").lower().rstrip(".")
        if name.startswith("dualstack."):
            name = name[len("dualstack.") :]
        with self.lock:
            for listener in self.listeners.values():
                if listener.dns_name.lower() == name and listener.port == port:
                    return listener
        return None

    def knows_host(self, host: str) -> bool:
        name = (host or "").lower().rstrip(".")
        name = name[len("dualstack.") :] if name.startswith("dualstack.") else name
        with self.lock:
            return any(listener.dns_name.lower() == name for listener in self.listeners.values())

    def alb_target_healthy(self, account_id: str, dns_name: str) -> bool:
        """Evaluate target health of an ALB alias: a registered target in a group its listeners forward to."""
        from moto.elbv2.models import elbv2_backends

        name = (dns_name or "").lower().rstrip(".")
        name = name[len("dualstack.") :] if name.startswith("dualstack.") else name
        for found_account, _region, backend in _backends(elbv2_backends):
            if found_account != account_id:
                continue
            for lb in list(backend.load_balancers.values()):
                if lb.dns_name.lower() != name:
                    continue
                for listener in lb.listeners.values():
                    for action in listener.default_actions:
                        data = action.data
                        arns = [data["TargetGroupArn"]] if data.get("TargetGroupArn") else []
                        arns += [g["TargetGroupArn"] for g in (data.get("ForwardConfig") or {}).get("TargetGroups", [])]
                        if any(backend.target_groups.get(a) and backend.target_groups[a].targets for a in arns):
                            return True
                return False
        return False  # no such load balancer: an alias to nothing is not healthy

    # health checks

    def run_due_checks(self) -> None:
        if "moto.route53.models" not in sys.modules:
            return
        from moto.route53.models import route53_backends

        now = time.monotonic()
        seen = set()
        for account_id, _region, backend in _backends(route53_backends):
            for check in list(backend.health_checks.values()):
                key = (account_id, check.id)
                seen.add(key)
                with self.lock:
                    state = self.checks.get(key)
                    if state is None or state.health_check is not check:
                        state = self.checks[key] = CheckState(check)
                    if state.in_flight or now < state.next_due or not self.probed(check):
                        continue
                    state.in_flight = True
                    state.next_due = now + int(check.request_interval or 30) * self.scale
                self.pool.submit(self._probe_and_record, account_id, state)
        with self.lock:
            for key in [k for k in self.checks if k not in seen]:
                del self.checks[key]

    @staticmethod
    def probed(check: Any) -> bool:
        return (check.type_ or "").upper() in ("HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP")

    def check_now(self, account_id: str, check_id: str) -> CheckState:
        """Probe one health check at once (the tests' handle on the clock)."""
        from moto.route53.models import route53_backends

        check = route53_backends[account_id]["global"].get_health_check(check_id)
        with self.lock:
            state = self.checks.get((account_id, check_id))
            if state is None or state.health_check is not check:
                state = self.checks[(account_id, check_id)] = CheckState(check)
        self._probe_and_record(account_id, state)
        return state

    def _probe_and_record(self, account_id: str, state: CheckState) -> None:
        try:
            success, status = self.probe(state.health_check)
            check = state.health_check
            state.record(success, status, int(check.failure_threshold or 3))
            self.publish(account_id, check.id, 1.0 if self.effective(account_id, check.id) else 0.0)
        except Exception as error:  # noqa: BLE001 - a checker error must not stop the others
            print(f"data plane: health check {state.health_check.id}: {error}", file=sys.stderr)
        finally:
            state.in_flight = False

    def probe(self, check: Any) -> tuple[bool, str]:
        """One probe, as a Route 53 checker makes it: (passed, the checker's status line)."""
        kind = (check.type_ or "").upper()
        host = check.fqdn or check.ip_address or ""
        port = int(check.port or (443 if kind.startswith("HTTPS") else 80))
        if not self.knows_host(host) and time.monotonic() - self._last_sync > 0.05:
            self.sync_listeners()  # an ALB made since the last look is served before it is judged
        if not self.knows_host(host):
            # Never resolved or connected to: only the emulator's own listeners are probed.
            return False, f"Failure: DNS resolution failed: {host} is not a load balancer of the emulator"
        listener = self.listener_for(host, port)
        if listener is None and time.monotonic() - self._last_sync > 0.05:
            self.sync_listeners()  # a listener added since the last look
            listener = self.listener_for(host, port)
        if listener is None:
            return False, f"Failure: Connection refused. Resolved IP: {HOST}"
        if kind == "TCP":
            try:
                socket.create_connection((HOST, listener.local_port), timeout=CONNECT_TIMEOUT).close()
                return True, "Success: TCP connection established"
            except OSError as error:
                return False, f"Failure: {error}. Resolved IP: {HOST}"
        secure = kind.startswith("HTTPS")
        if secure != (listener.protocol == "HTTPS"):
            return False, f"Failure: the endpoint does not speak {'HTTPS' if secure else 'HTTP'} on port {port}"
        path = check.resource_path or "/"
        if not path.startswith("/"):
            path = "/" + path
        try:
            if secure:
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE  # Route 53 does not validate the certificate
                connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                    HOST, listener.local_port, timeout=CONNECT_TIMEOUT, context=context
                )
            else:
                connection = http.client.HTTPConnection(HOST, listener.local_port, timeout=CONNECT_TIMEOUT)
            connection.connect()
            if connection.sock is not None:
                connection.sock.settimeout(RESPONSE_TIMEOUT)
            connection.request("GET", path, headers={"Host": host, "User-Agent": "Amazon-Route53-Health-Check-Service"})
            response = connection.getresponse()
            body = response.read(SEARCH_BYTES)
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            return False, f"Failure: {error}. Resolved IP: {HOST}"
        code, phrase = response.status, response.reason
        if not 200 <= code < 400:
            return False, f"Failure: HTTP Status Code {code}, {phrase}. Resolved IP: {HOST}"
        if kind.endswith("STR_MATCH") and (check.search_string or "").encode() not in body:
            return False, f"Failure: Search string not found in response body. Resolved IP: {HOST}"
        return True, f"Success: HTTP Status Code {code}, {phrase}"

    def effective(self, account_id: str, check_id: str, depth: int = 0) -> bool:
        """Whether Route 53 calls the check healthy now."""
        from moto.route53.models import route53_backends

        try:
            check = route53_backends[account_id]["global"].get_health_check(check_id)
        except Exception:  # noqa: BLE001 - a record naming a deleted check
            return False
        if check.disabled:
            healthy = True  # "Route 53 considers the status of a disabled health check to always be healthy"
        elif (check.type_ or "").upper() == "CALCULATED":
            children = check.children or []
            passing = sum(1 for child in children if depth < 5 and self.effective(account_id, child, depth + 1))
            threshold = int(check.health_threshold if check.health_threshold is not None else len(children))
            healthy = passing >= threshold
        else:
            with self.lock:
                state = self.checks.get((account_id, check_id))
            healthy = True if state is None or not self.probed(check) else state.healthy
        return (not healthy) if check.inverted else healthy

    def observations(self, account_id: str, check: Any) -> list[dict[str, Any]]:
        with self.lock:
            state = self.checks.get((account_id, check.id))
        if state is None or state.checked_time is None:
            return []
        return [
            {
                "Region": region,
                "IPAddress": HOST,
                "StatusReport": {"Status": state.last_status, "CheckedTime": state.checked_time},
            }
            for region in (check.regions or DEFAULT_CHECKER_REGIONS)
        ]

    # the HealthCheckStatus metric and its alarms

    def publish(self, account_id: str, check_id: str, value: float) -> None:
        from moto.cloudwatch.models import cloudwatch_backends

        backend = cloudwatch_backends[account_id][METRIC_REGION]
        stamp = _now()
        backend.put_metric_data(
            "AWS/Route53",
            [
                {
                    "MetricName": "HealthCheckStatus",
                    "Dimensions": [{"Name": "HealthCheckId", "Value": check_id}],
                    "Timestamp": stamp,
                    "Value": value,
                    "Unit": "None",
                }
            ],
        )
        with self.lock:
            state = self.checks.get((account_id, check_id))
            if state is not None:
                state.samples.append((time.time(), value))
                samples = list(state.samples)
            else:
                samples = [(time.time(), value)]
        for alarm in list(backend.alarms.values()):
            dimensions = {d.name: d.value for d in alarm.dimensions}
            if (alarm.namespace, alarm.metric_name, dimensions) == (
                "AWS/Route53",
                "HealthCheckStatus",
                {"HealthCheckId": check_id},
            ):
                self.evaluate(backend, alarm, samples)

    def evaluate(self, backend: Any, alarm: Any, samples: list[tuple[float, float]], now: float | None = None) -> str:
        """Set an alarm's state from the metric's datapoints, as CloudWatch evaluates it."""
        now = time.time() if now is None else now
        period = max(0.001, int(alarm.period or 60) * self.scale)
        periods = int(alarm.evaluation_periods or 1)
        needed = int(alarm.datapoints_to_alarm or periods)
        missing = (alarm.treat_missing_data or "missing").lower()
        values: list[float | None] = []
        for index in range(periods):
            start, end = now - (index + 1) * period, now - index * period
            inside = [v for t, v in samples if start <= t < end]
            values.append(_statistic(alarm.statistic, inside) if inside else None)
        breaching = sum(1 for v in values if v is not None and _crosses(alarm.comparison_operator, v, alarm.threshold))
        if missing == "breaching":
            breaching += sum(1 for v in values if v is None)
        present = [v for v in values if v is not None]
        if breaching >= needed:
            state = "ALARM"
        elif not present and missing in ("missing", "ignore"):
            state = alarm.state_value if missing == "ignore" else "INSUFFICIENT_DATA"
        else:
            state = "OK"
        if state != alarm.state_value:
            shown = ", ".join("missing" if v is None else f"{v:g}" for v in values)
            verb = "were" if state == "ALARM" else "were not"
            reason = (
                f"Threshold Crossed: {breaching} out of the last {periods} datapoints [{shown}] {verb} "
                f"{_OPERATOR_WORDS.get(alarm.comparison_operator, alarm.comparison_operator)} the threshold "
                f"({float(alarm.threshold):g}) (minimum {needed} datapoints for OK -> ALARM transition)."
            )
            data = json.dumps({"version": "1.0", "queryDate": _now().isoformat(), "recentDatapoints": present})
            backend.set_alarm_state(alarm.name, reason, data, state)
        return state


_OPERATOR_WORDS = {
    "GreaterThanOrEqualToThreshold": "greater than or equal to",
    "GreaterThanThreshold": "greater than",
    "LessThanThreshold": "less than",
    "LessThanOrEqualToThreshold": "less than or equal to",
}
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "GreaterThanThreshold": lambda v, t: v > t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}


def _crosses(operator: str, value: float, threshold: Any) -> bool:
    test = _OPERATORS.get(operator)
    return bool(test and test(value, float(threshold)))


def _statistic(name: str, values: list[float]) -> float:
    if name == "Minimum":
        return min(values)
    if name == "Maximum":
        return max(values)
    if name == "Sum":
        return sum(values)
    if name == "SampleCount":
        return float(len(values))
    return sum(values) / len(values)


# --- TestDNSAnswer ---------------------------------------------------------------------------


def record_healthy(data_plane: DataPlane | None, account_id: str, record: Any) -> bool:
    """Route 53's view of one record set: its health check and, with EvaluateTargetHealth, its alias target."""
    if record.health_check_id and data_plane is not None and not data_plane.effective(account_id, record.health_check_id):
        return False
    alias = record.alias_target or {}
    if alias and str(alias.get("EvaluateTargetHealth")).lower() == "true" and data_plane is not None:
        target = str(alias.get("DNSName") or "")
        if ".elb." in target.lower() and not data_plane.alb_target_healthy(account_id, target):
            return False
    return True


def dns_answer(data_plane: DataPlane | None, account_id: str, zone: Any, name: str, kind: str) -> dict[str, Any]:
    """The answer Route 53 would give for ``name``/``kind`` in ``zone`` right now."""
    wanted = name.lower().rstrip(".") + "."
    candidates = [r for r in zone.rrsets if r.name.lower().rstrip(".") + "." == wanted and r.type == kind]
    answer: dict[str, Any] = {
        "Nameserver": "ns-emulator.awsdns-00.com",
        "RecordName": wanted,
        "RecordType": kind,
        "RecordData": [],
        "ResponseCode": "NOERROR",
        "Protocol": "UDP",
    }
    if not candidates:
        named = any(r.name.lower().rstrip(".") + "." == wanted for r in zone.rrsets)
        answer["ResponseCode"] = "NOERROR" if named else "NXDOMAIN"
        return answer
    failover = [r for r in candidates if r.failover]
    if failover:
        primary = next((r for r in failover if r.failover == "PRIMARY"), None)
        secondary = next((r for r in failover if r.failover == "SECONDARY"), None)
        if primary is not None and record_healthy(data_plane, account_id, primary):
            chosen = primary
        elif secondary is not None and record_healthy(data_plane, account_id, secondary):
            chosen = secondary
        else:
            chosen = primary or secondary  # all unhealthy: answered as if all were healthy
    else:
        chosen = candidates[0]
    if chosen.alias_target:
        answer["RecordData"] = [str(chosen.alias_target.get("DNSName", "")).rstrip(".").lower()]
    else:
        answer["RecordData"] = [str(r.get("Value", r) if isinstance(r, dict) else r) for r in (chosen.records or [])]
    return answer


# --- wiring ----------------------------------------------------------------------------------


def install() -> None:
    """Patch moto's Route 53 answers and add the ``/moto-api/data-plane/`` routes (no thread starts here)."""
    from moto.core.responses import ActionResult
    from moto.moto_api._internal import urls as api_urls
    from moto.route53 import responses as route53_responses
    from moto.route53 import urls as route53_urls

    response_cls = route53_responses.Route53
    original_status = response_cls.get_health_check_status

    def get_health_check_status(self: Any) -> Any:
        data_plane = plane()
        if data_plane is None:
            return original_status(self)
        check = self.backend.get_health_check(self._get_param("HealthCheckId"))
        return ActionResult({"HealthCheckObservations": data_plane.observations(self.current_account, check)})

    def test_dns_answer(self: Any) -> Any:
        zone = self.backend.get_hosted_zone(self._get_param("HostedZoneId"))
        return ActionResult(
            dns_answer(plane(), self.current_account, zone, self._get_param("RecordName"), self._get_param("RecordType"))
        )

    response_cls.get_health_check_status = get_health_check_status
    response_cls.test_dns_answer = test_dns_answer
    route53_urls.url_paths[r"{0}/(?P<api_version>[\d_-]+)/testdnsanswer$"] = response_cls.dispatch

    def answer(payload: Callable[[DataPlane], Any]) -> tuple[int, dict, str]:
        data_plane = plane()
        if data_plane is None:
            return 404, {}, json.dumps({"error": "the data plane is off (DR_EMULATOR_DATA_PLANE)"})
        return 200, {"Content-Type": "application/json"}, json.dumps(payload(data_plane), default=str)

    def load_balancers(request: Any, full_url: str, headers: Any) -> tuple[int, dict, str]:
        return answer(lambda p: {"load_balancers": p.load_balancers()})

    def health_checks(request: Any, full_url: str, headers: Any) -> tuple[int, dict, str]:
        def listing(p: DataPlane) -> dict[str, Any]:
            with p.lock:
                states = dict(p.checks)
            return {
                "scale": p.scale,
                "health_checks": [
                    {
                        "id": check_id,
                        "account_id": account_id,
                        "healthy": p.effective(account_id, check_id),
                        "last_status": state.last_status,
                        "checked_time": state.checked_time,
                    }
                    for (account_id, check_id), state in sorted(states.items())
                ],
            }

        return answer(listing)

    def settings(request: Any, full_url: str, headers: Any) -> tuple[int, dict, str]:
        data_plane = plane()
        if data_plane is not None and request.method == "POST":
            scale = (parse_qs(urlparse(full_url).query).get("check_scale") or [""])[0]
            try:
                value = float(scale)
                if not 0 < value <= 1:
                    raise ValueError(scale)
            except ValueError:
                return 400, {}, json.dumps({"error": f"check_scale {scale!r}: a number in (0, 1]"})
            data_plane.scale = value
        return answer(lambda p: {"check_scale": p.scale})

    api_urls.url_paths["{0}/moto-api/data-plane/load-balancers"] = load_balancers
    api_urls.url_paths["{0}/moto-api/data-plane/health-checks"] = health_checks
    api_urls.url_paths["{0}/moto-api/data-plane/settings"] = settings


def start(state_dir: Path, endpoint_url: str | None = None) -> DataPlane | None:
    """Start the listeners and checkers in this (the server's) process, unless ``DR_EMULATOR_DATA_PLANE=off``."""
    if not enabled():
        return None
    data_plane = DataPlane(state_dir, endpoint_url=endpoint_url)
    _STATE["plane"] = data_plane
    data_plane.start()
    return data_plane


def use(data_plane: DataPlane | None) -> None:
    """Make ``data_plane`` the one the patched answers read (the unit tests' in-process plane)."""
    _STATE["plane"] = data_plane
