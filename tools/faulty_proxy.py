#!/usr/bin/env python
"""A loopback HTTP proxy in front of the emulator that counts AWS calls and injects faults.

Every request is forwarded unchanged (same method, path, query, headers and
body; only hop-by-hop headers are dropped) to ONE configured upstream, which
must be a loopback address: the proxy refuses any other upstream and never
forwards anywhere else, whatever the request's Host header or request line say.
It listens on 127.0.0.1 only.

It counts forwarded calls by service and operation, named by ``tools/aws_calls.py``
(the emulator's call log names them the same way).

At ``--fault-rate`` (0..1) a seeded RNG decides, per request in arrival order,
whether to inject a fault and which of ``--faults`` (default all):

* ``throttle``: ``ThrottlingException`` 400 (JSON and REST-JSON protocols, CBOR
  for Smithy RPC v2), ``Throttling`` 400 (query and REST-XML protocols),
  ``RequestLimitExceeded`` 503 (EC2), ``SlowDown`` 503 (S3);
* ``internal``: ``InternalError`` 500 in the same protocol shapes;
* ``reset``: the connection is closed (RST) without an answer and without
  forwarding;
* ``reset_after``: NOT in the default set; the request IS forwarded (the
  emulator applies it) and then the client's connection is reset, as when a
  response is lost on the way back - the case that makes retries duplicate;
* ``delay``: the request is held ``--delay-ms`` then forwarded normally.

Targeted lost answers, apart from the rate: ``--lose-first`` (or the ``lose_first``
setting) takes operation patterns (``fnmatch``, matched against ``Operation`` and
``service:Operation``, e.g. ``Create*,AllocateAddress,ec2:RunInstances``); the FIRST
call of each matching operation in each region is forwarded and its answer lost
(``reset_after``), every later call passes. So every create the stack makes is
applied once without the client knowing, and the client's retry meets what it
made. The stats list them as ``lost_answers`` (``service:region:Operation``).

botocore retries all of them (its throttling codes, 5xx, connection errors).
Throttles, internal errors and resets are not forwarded, so they are not
counted as forwarded calls; delays and ``reset_after`` are.

Control endpoints (never forwarded, never counted):

* ``GET /__proxy__/stats``: counters as JSON (also written to ``--stats-file``);
* ``POST /__proxy__/reset``: zero the counters and reseed the RNG with the seed;
* ``POST /__proxy__/config``: JSON body with any of ``fault_rate``, ``faults``,
  ``seed``, ``delay_ms``, ``lose_first`` changes them at run time (and reseeds
  when ``seed`` is given; a new ``lose_first`` forgets which answers were lost).

The counters are written to ``--stats-file`` on SIGTERM/SIGINT too.

    tools/faulty_proxy.py [serve] --port 4567 --upstream http://127.0.0.1:4566 \\
        [--fault-rate 0.1] [--seed 7] [--faults throttle,internal,reset,delay] \\
        [--delay-ms 500] [--lose-first 'Create*,AllocateAddress'] [--stats-file stats.json]
    tools/faulty_proxy.py start ...same options...   # in the background, pid file
    tools/faulty_proxy.py stop|status|stats|reset --port 4567

``--port`` defaults to ``$DR_PROXY_PORT``, ``--upstream`` to
``http://127.0.0.1:$DR_EMULATOR_PORT``.
"""

from __future__ import annotations

import argparse
import fnmatch
import http.client
import ipaddress
import json
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from aws_calls import name_call  # noqa: E402 - tools/ is not a package

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".emulator"
CONTROL_PREFIX = "/__proxy__/"
FAULT_KINDS = ("throttle", "internal", "reset", "delay", "reset_after")
DEFAULT_FAULTS = ("throttle", "internal", "reset", "delay")
UPSTREAM_TIMEOUT = 120
LOG_LIMIT = 10000
READY_TIMEOUT = 30

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "expect",
}


# ---------------------------------------------------------------- upstreams


def loopback_upstream(url: str) -> tuple[str, int]:
    """(host, port) of an ``http://`` loopback URL; ValueError for anything else."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme != "http":
        raise ValueError(f"upstream {url!r}: only plain http:// to a loopback address is allowed")
    host = parsed.hostname or ""
    if host == "localhost":
        host = HOST
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"upstream {url!r}: the host must be a loopback IP address or localhost") from None
    if not address.is_loopback:
        raise ValueError(f"upstream {url!r}: {host} is not a loopback address; refusing to forward there")
    if parsed.path not in ("", "/") or parsed.query:
        raise ValueError(f"upstream {url!r}: give only scheme, host and port")
    try:
        port = parsed.port or 80
    except ValueError:
        raise ValueError(f"upstream {url!r}: bad port") from None
    return host, port


# ---------------------------------------------------------------- fault bodies


def _cbor_text(text: str) -> bytes:
    data = text.encode()
    n = len(data)
    if n < 24:
        head = bytes([0x60 + n])
    elif n < 256:
        head = bytes([0x78, n])
    else:
        head = bytes([0x79]) + struct.pack(">H", n)
    return head + data


def _cbor_map(values: dict[str, str]) -> bytes:
    out = bytes([0xA0 + len(values)])
    for key, value in values.items():
        out += _cbor_text(key) + _cbor_text(value)
    return out


def fault_response(kind: str, protocol: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of an AWS-shaped throttling or internal error."""
    request_id = str(uuid.uuid4())
    if kind == "throttle":
        code, message = "ThrottlingException", "Rate exceeded"
        status = 400
        if protocol in ("query", "xml"):
            code = "Throttling"
        elif protocol == "ec2":
            code, message, status = "RequestLimitExceeded", "Request limit exceeded.", 503
        elif protocol == "s3":
            code, message, status = "SlowDown", "Please reduce your request rate.", 503
    else:
        code, message, status = "InternalError", "We encountered an internal error. Please try again.", 500
    headers = {"x-amzn-RequestId": request_id}
    if protocol == "json":
        headers.update({"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code})
        body = json.dumps({"__type": code, "message": message}).encode()
    elif protocol == "cbor":
        headers.update({"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"})
        body = _cbor_map({"__type": code, "message": message})
    elif protocol == "ec2":
        headers["Content-Type"] = "text/xml"
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{code}</Code>'
            f"<Message>{message}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>"
        ).encode()
    elif protocol == "s3":
        headers["Content-Type"] = "application/xml"
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message>'
            f"<RequestId>{request_id}</RequestId></Error>"
        ).encode()
    else:  # query and rest-xml
        headers["Content-Type"] = "text/xml"
        kind_of = "Sender" if status < 500 else "Receiver"
        body = (
            f"<ErrorResponse><Error><Type>{kind_of}</Type><Code>{code}</Code><Message>{message}</Message>"
            f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
    return status, headers, body


# ---------------------------------------------------------------- state


class Stats:
    def __init__(self, fault_rate: float, faults, seed: int | None, delay_ms: int, lose_first=()) -> None:
        self.lock = threading.Lock()
        self.lose_first: list[str] = []
        self.lost: list[str] = []
        self.configure(fault_rate=fault_rate, faults=list(faults), seed=seed, delay_ms=delay_ms, lose_first=list(lose_first))
        self.reset()

    def configure(self, fault_rate=None, faults=None, seed=None, delay_ms=None, lose_first=None, **unknown) -> None:
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        if fault_rate is not None:
            fault_rate = float(fault_rate)
            if not 0.0 <= fault_rate <= 1.0:
                raise ValueError("fault_rate must be between 0 and 1")
            self.fault_rate = fault_rate
        if faults is not None:
            bad = [f for f in faults if f not in FAULT_KINDS]
            if bad or not faults:
                raise ValueError(f"faults must be a non-empty list of {', '.join(FAULT_KINDS)}; got {faults}")
            self.faults = list(faults)
        if delay_ms is not None:
            self.delay_ms = int(delay_ms)
        if lose_first is not None:
            if isinstance(lose_first, str) or not all(isinstance(p, str) and p for p in lose_first):
                raise ValueError(f"lose_first must be a list of operation patterns; got {lose_first!r}")
            self.lose_first = list(lose_first)
            self.lost = []
        if seed is not None or not hasattr(self, "seed"):
            self.seed = seed
            self.rng = random.Random(seed)

    def reset(self) -> None:
        with self.lock:
            self.rng = random.Random(self.seed)
            self.sequence = 0
            self.forwarded: dict[str, dict[str, int]] = {}
            self.by_region: dict[str, dict[str, dict[str, int]]] = {}
            self.injected = {kind: 0 for kind in FAULT_KINDS}
            self.log: list[list] = []
            self.lost = []
            self.upstream_errors = 0
            self.started = time.time()

    def _loses_first(self, call: dict) -> bool:
        """Whether this is the first call of a targeted operation in its region (then it is marked)."""
        names = (call["operation"], f"{call['service']}:{call['operation']}")
        if not any(fnmatch.fnmatchcase(name, pattern) for pattern in self.lose_first for name in names):
            return False
        key = f"{call['service']}:{call['region']}:{call['operation']}"
        if key in self.lost:
            return False
        self.lost.append(key)
        return True

    def decide(self, call: dict) -> str | None:
        """The fault to inject for this request, or None; targeted lost answers first, then drawn in arrival order."""
        with self.lock:
            self.sequence += 1
            if self.lose_first and self._loses_first(call):
                self.injected["reset_after"] += 1
                if len(self.log) < LOG_LIMIT:
                    self.log.append([self.sequence, call["service"], call["operation"], "reset_after"])
                return "reset_after"
            if self.fault_rate <= 0:
                return None
            if self.rng.random() >= self.fault_rate:
                return None
            kind = self.rng.choice(self.faults)
            self.injected[kind] += 1
            if len(self.log) < LOG_LIMIT:
                self.log.append([self.sequence, call["service"], call["operation"], kind])
            return kind

    def count(self, call: dict) -> None:
        with self.lock:
            ops = self.forwarded.setdefault(call["service"], {})
            ops[call["operation"]] = ops.get(call["operation"], 0) + 1
            region = self.by_region.setdefault(call["region"], {}).setdefault(call["service"], {})
            region[call["operation"]] = region.get(call["operation"], 0) + 1

    def snapshot(self, upstream: str) -> dict:
        with self.lock:
            return {
                "upstream": upstream,
                "fault_rate": self.fault_rate,
                "faults": list(self.faults),
                "seed": self.seed,
                "delay_ms": self.delay_ms,
                "lose_first": list(self.lose_first),
                "lost_answers": list(self.lost),
                "since": self.started,
                "requests": self.sequence,
                "forwarded": {s: dict(sorted(o.items())) for s, o in sorted(self.forwarded.items())},
                "forwarded_total": sum(sum(o.values()) for o in self.forwarded.values()),
                "forwarded_by_region": json.loads(json.dumps(self.by_region, sort_keys=True)),
                "injected": dict(self.injected),
                "injected_total": sum(self.injected.values()),
                "injected_log": [list(x) for x in self.log],
                "upstream_errors": self.upstream_errors,
            }


# ---------------------------------------------------------------- server


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faulty-proxy"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle
    # and the client's delayed ACK add ~40 ms to every answer.
    disable_nagle_algorithm = True

    def log_message(self, format, *args):  # noqa: A002 - quiet unless asked
        if self.server.verbose:
            super().log_message(format, *args)

    def _read_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status: int, headers: dict, body: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _reset(self) -> None:
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass

    def _control(self, path: str, body: bytes) -> None:
        server = self.server
        action = path[len(CONTROL_PREFIX) :].strip("/")
        try:
            if action == "stats" and self.command == "GET":
                result = server.stats.snapshot(server.upstream_url)
                server.write_stats(result)
            elif action == "reset" and self.command == "POST":
                server.stats.reset()
                result = {"reset": True}
            elif action == "config" and self.command == "POST":
                settings = json.loads(body or b"{}")
                with server.stats.lock:
                    server.stats.configure(**settings)
                result = {k: v for k, v in server.stats.snapshot(server.upstream_url).items() if k in settings}
            else:
                self._send(404, {"Content-Type": "application/json"}, b'{"error": "unknown control endpoint"}')
                return
        except (ValueError, TypeError) as e:
            self._send(400, {"Content-Type": "application/json"}, json.dumps({"error": str(e)}).encode())
            return
        self._send(200, {"Content-Type": "application/json"}, json.dumps(result, indent=1).encode())

    def _handle(self) -> None:
        body = self._read_body()
        target = self.path
        if not target.startswith("/"):  # absolute-form request line: keep only the path
            split = urllib.parse.urlsplit(target)
            target = urllib.parse.urlunsplit(("", "", split.path or "/", split.query, ""))
        path, _sep, raw_query = target.partition("?")
        if path.startswith(CONTROL_PREFIX):
            self._control(path, body)
            return
        query = urllib.parse.parse_qs(raw_query, keep_blank_values=True)
        call = name_call(self.command, path, query, self.headers, body)
        stats = self.server.stats
        fault = stats.decide(call)
        if fault in ("throttle", "internal"):
            self._send(*fault_response(fault, call["protocol"]))
            return
        if fault == "reset":
            self._reset()
            return
        if fault == "delay":
            time.sleep(stats.delay_ms / 1000.0)
        stats.count(call)
        status, headers, response = self._forward(target, body)
        if fault == "reset_after":
            self._reset()
            return
        self._send_upstream(status, headers, response)

    def _forward(self, target: str, body: bytes):
        host, port = self.server.upstream
        connection = http.client.HTTPConnection(host, port, timeout=UPSTREAM_TIMEOUT)
        try:
            connection.putrequest(self.command, target, skip_host=True, skip_accept_encoding=True)
            for key, value in self.headers.items():
                if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                    connection.putheader(key, value)
            if body or self.command in ("POST", "PUT", "PATCH"):
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body or None)
            response = connection.getresponse()
            data = response.read()
            return response.status, response.getheaders(), data
        except (OSError, http.client.HTTPException) as e:
            with self.server.stats.lock:
                self.server.stats.upstream_errors += 1
            message = f"faulty_proxy: upstream {self.server.upstream_url} failed: {e}"
            return 502, [("Content-Type", "text/plain")], message.encode()
        finally:
            connection.close()

    def _send_upstream(self, status: int, headers: list, data: bytes) -> None:
        self.send_response(status)
        length = None
        for key, value in headers:
            lower = key.lower()
            if lower in HOP_BY_HOP or lower in ("server", "date"):
                continue
            if lower == "content-length":
                length = value
                continue
            self.send_header(key, value)
        if self.command == "HEAD":
            self.send_header("Content-Length", length if length is not None else "0")
            self.end_headers()
            return
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status not in (204, 304) and data:
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = _handle

    def do_CONNECT(self):  # noqa: N802 - no tunnelling anywhere
        self._send(405, {"Content-Type": "text/plain"}, b"faulty_proxy forwards only to its loopback upstream")


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, port: int, upstream: str, stats: Stats, stats_file: str | None = None, verbose=False):
        self.upstream = loopback_upstream(upstream)
        self.upstream_url = upstream
        self.stats = stats
        self.stats_file = stats_file
        self.verbose = verbose
        super().__init__((HOST, port), Handler)

    def write_stats(self, snapshot: dict | None = None) -> None:
        if not self.stats_file:
            return
        snapshot = snapshot or self.stats.snapshot(self.upstream_url)
        tmp = f"{self.stats_file}.tmp"
        with open(tmp, "w") as handle:
            json.dump(snapshot, handle, indent=1)
        os.replace(tmp, self.stats_file)


# ---------------------------------------------------------------- commands


def default_port() -> int | None:
    value = os.environ.get("DR_PROXY_PORT")
    return int(value) if value else None


def default_upstream() -> str:
    return f"http://{HOST}:{os.environ.get('DR_EMULATOR_PORT', '4566')}"


def pid_file(port: int) -> Path:
    return STATE_DIR / f"proxy-{port}.pid"


def log_file(port: int) -> Path:
    return STATE_DIR / f"proxy-{port}.log"


def control(port: int, action: str, method: str = "GET", payload: dict | None = None, timeout: float = 5) -> dict:
    data = json.dumps(payload).encode() if payload is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(f"http://{HOST}:{port}{CONTROL_PREFIX}{action}", data=data, method=method)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def is_ready(port: int) -> bool:
    try:
        control(port, "stats", timeout=2)
        return True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def running_pid(port: int) -> int | None:
    try:
        pid = int(pid_file(port).read_text().strip())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError):
        return None


def serve(args) -> int:
    stats = Stats(args.fault_rate, args.faults, args.seed, args.delay_ms, args.lose_first)
    server = ProxyServer(args.port, args.upstream, stats, args.stats_file, args.verbose)

    def stop(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    port = server.server_address[1]
    print(f"faulty_proxy on http://{HOST}:{port} -> {args.upstream} (fault rate {args.fault_rate})", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.write_stats()
        server.server_close()
    return 0


def start(args) -> int:
    if running_pid(args.port) and is_ready(args.port):
        print(f"proxy already running on port {args.port}")
        return 0
    STATE_DIR.mkdir(exist_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "serve"] + serve_options(args)
    with open(log_file(args.port), "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    pid_file(args.port).write_text(str(process.pid))
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print(f"proxy exited with {process.returncode}; see {log_file(args.port)}", file=sys.stderr)
            return 1
        if is_ready(args.port):
            print(f"proxy ready on http://{HOST}:{args.port} -> {args.upstream} (pid {process.pid})")
            return 0
        time.sleep(0.1)
    print(f"proxy not ready after {READY_TIMEOUT}s; see {log_file(args.port)}", file=sys.stderr)
    return 1


def stop(args) -> int:
    pid = running_pid(args.port)
    if pid is None:
        print(f"no proxy started here on port {args.port}")
        pid_file(args.port).unlink(missing_ok=True)
        return 0
    os.kill(pid, signal.SIGTERM)  # the proxy writes its stats file on SIGTERM
    for _attempt in range(50):
        if running_pid(args.port) is None:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    pid_file(args.port).unlink(missing_ok=True)
    print(f"proxy on port {args.port} stopped")
    return 0


def status(args) -> int:
    ready = is_ready(args.port)
    print(json.dumps({"port": args.port, "pid": running_pid(args.port), "ready": ready}))
    return 0 if ready else 3


def show_stats(args) -> int:
    print(json.dumps(control(args.port, "stats"), indent=1))
    return 0


def reset(args) -> int:
    control(args.port, "reset", method="POST")
    return 0


def serve_options(args) -> list[str]:
    options = [
        "--port", str(args.port), "--upstream", args.upstream, "--fault-rate", str(args.fault_rate),
        "--faults", ",".join(args.faults), "--delay-ms", str(args.delay_ms),
    ]  # fmt: skip
    if args.seed is not None:
        options += ["--seed", str(args.seed)]
    if args.lose_first:
        options += ["--lose-first", ",".join(args.lose_first)]
    if args.stats_file:
        options += ["--stats-file", str(Path(args.stats_file).resolve())]
    if args.verbose:
        options.append("--verbose")
    return options


COMMANDS = {"serve": serve, "start": start, "stop": stop, "status": status, "stats": show_stats, "reset": reset}


def fault_list(value: str) -> list[str]:
    kinds = [k.strip() for k in value.split(",") if k.strip()]
    bad = [k for k in kinds if k not in FAULT_KINDS]
    if bad or not kinds:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(FAULT_KINDS)}")
    return kinds


def patterns(value: str) -> list[str]:
    return [p.strip() for p in value.split(",") if p.strip()]


def rate(value: str) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise argparse.ArgumentTypeError("between 0 and 1")
    return number


def parse_args(argv: list[str] | None = None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="serve", choices=sorted(COMMANDS))
    parser.add_argument("--port", type=int, default=default_port(), help="listen port (default $DR_PROXY_PORT)")
    parser.add_argument("--upstream", default=default_upstream(), help="loopback emulator URL")
    parser.add_argument("--fault-rate", type=rate, default=0.0)
    parser.add_argument("--faults", type=fault_list, default=list(DEFAULT_FAULTS))
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--delay-ms", type=int, default=500)
    parser.add_argument("--lose-first", type=patterns, default=[], help="lose the first answer of these operations, per region")
    parser.add_argument("--stats-file", default=None)
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if args.port is None:
        parser.error("--port (or $DR_PROXY_PORT) is required")
    try:
        loopback_upstream(args.upstream)
    except ValueError as e:
        parser.error(str(e))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
