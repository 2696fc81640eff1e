"""The fault-injecting proxy: counts calls, injects AWS-shaped faults botocore
understands, reproducibly, and forwards only to a loopback upstream.

moto's ThreadedMotoServer runs in this process on an OS-chosen loopback port
and the proxy (also in-process, OS-chosen port) stands in front of it; boto3
talks to the proxy as its endpoint.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError
from moto.server import ThreadedMotoServer

import faulty_proxy

TOOL = Path(faulty_proxy.__file__)
NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=10)


@pytest.fixture(scope="module")
def upstream():
    # Like tools/emulator.py: without sample AMIs an EC2 region starts in
    # milliseconds instead of seconds.
    patch = pytest.MonkeyPatch()
    patch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    patch.undo()


@pytest.fixture(scope="module")
def proxy(upstream):
    stats = faulty_proxy.Stats(fault_rate=0.0, faults=faulty_proxy.DEFAULT_FAULTS, seed=1, delay_ms=200)
    server = faulty_proxy.ProxyServer(0, upstream, stats)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxied(proxy):
    """(client factory, control) with clean counters and no faults."""
    port = proxy.server_address[1]
    endpoint = f"http://127.0.0.1:{port}"

    def client(service, config=NO_RETRY, region="us-east-1"):
        return boto3.client(service, region_name=region, endpoint_url=endpoint, config=config)

    def control(action, payload=None):
        method = "GET" if action == "stats" else "POST"
        return faulty_proxy.control(port, action, method=method, payload=payload)

    control("config", {"fault_rate": 0, "faults": list(faulty_proxy.DEFAULT_FAULTS), "seed": 1, "delay_ms": 200, "lose_first": []})
    control("reset")
    return client, control


def test_calls_are_counted_by_service_and_operation(proxied):
    client, control = proxied
    client("sts").get_caller_identity()
    ec2 = client("ec2")
    ec2.describe_vpcs()
    ec2.describe_vpcs()
    ec2.create_vpc(CidrBlock="10.9.0.0/16")
    client("logs").describe_log_groups()
    s3 = client("s3")
    s3.create_bucket(Bucket="proxy-counts")
    s3.put_bucket_versioning(Bucket="proxy-counts", VersioningConfiguration={"Status": "Enabled"})
    s3.put_object(Bucket="proxy-counts", Key="a/b.txt", Body=b"x")
    s3.copy_object(Bucket="proxy-counts", Key="c.txt", CopySource={"Bucket": "proxy-counts", "Key": "a/b.txt"})
    s3.head_object(Bucket="proxy-counts", Key="c.txt")
    s3.list_objects_v2(Bucket="proxy-counts")
    client("lambda").list_functions()
    client("iam").list_roles()
    client("route53").list_hosted_zones()
    client("ec2", region="us-west-2").describe_vpcs()

    stats = control("stats")

    assert stats["forwarded"] == {
        "ec2": {"CreateVpc": 1, "DescribeVpcs": 3},
        "iam": {"ListRoles": 1},
        "lambda": {"ListFunctions": 1},
        "logs": {"DescribeLogGroups": 1},
        "route53": {"ListHostedZones": 1},
        "s3": {
            "CopyObject": 1,
            "CreateBucket": 1,
            "HeadObject": 1,
            "ListObjectsV2": 1,
            "PutBucketVersioning": 1,
            "PutObject": 1,
        },
        "sts": {"GetCallerIdentity": 1},
    }
    assert stats["forwarded_total"] == 15
    assert stats["forwarded_by_region"]["us-west-2"] == {"ec2": {"DescribeVpcs": 1}}
    assert stats["injected_total"] == 0


def test_rest_calls_are_named_from_botocore_models():
    auth = {"Authorization": "AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/lambda/aws4_request, X"}
    name = faulty_proxy.name_call

    assert name("GET", "/2015-03-31/functions/fn-a/configuration", {}, auth, b"")["operation"] == (
        "GetFunctionConfiguration"
    )
    assert name("POST", "/2015-03-31/functions/fn-a/policy", {}, auth, b"")["operation"] == "AddPermission"
    assert name("DELETE", "/2015-03-31/functions/fn-a/policy/sid-1", {}, auth, b"")["operation"] == ("RemovePermission")
    call = name("GET", "/2015-03-31/functions/fn-a", {}, auth, b"")
    assert (call["service"], call["region"], call["operation"]) == ("lambda", "eu-west-1", "GetFunction")
    route53 = {"Authorization": auth["Authorization"].replace("eu-west-1/lambda", "us-east-1/route53")}
    assert name("POST", "/2013-04-01/hostedzone/Z1/rrset/", {}, route53, b"")["operation"] == (
        "ChangeResourceRecordSets"
    )
    # What it cannot name keeps its method and first path segment.
    unsigned = name("GET", "/some/odd/path", {}, {}, b"")
    assert (unsigned["service"], unsigned["operation"]) == ("unknown", "GET /some/*")
    form = name("POST", "/", {}, {**auth, "Content-Type": "application/x-www-form-urlencoded"}, b"Action=Foo&X=1")
    assert form["operation"] == "Foo"


def test_rate_zero_injects_nothing(proxied):
    client, control = proxied
    ec2 = client("ec2")
    for _attempt in range(20):
        ec2.describe_vpcs()

    stats = control("stats")

    assert stats["injected_total"] == 0
    assert stats["forwarded"] == {"ec2": {"DescribeVpcs": 20}}


@pytest.mark.parametrize(
    ("service", "call", "code", "status"),
    [
        ("ec2", lambda c: c.describe_vpcs(), "RequestLimitExceeded", 503),
        ("sts", lambda c: c.get_caller_identity(), "Throttling", 400),
        ("logs", lambda c: c.describe_log_groups(), "ThrottlingException", 400),
        ("lambda", lambda c: c.list_functions(), "ThrottlingException", 400),
        ("s3", lambda c: c.list_buckets(), "SlowDown", 503),
        ("route53", lambda c: c.list_hosted_zones(), "Throttling", 400),
    ],
)
def test_forced_throttling_is_the_service_shaped_error(proxied, service, call, code, status):
    client, control = proxied
    control("config", {"fault_rate": 1, "faults": ["throttle"]})

    with pytest.raises(ClientError) as raised:
        call(client(service))

    assert raised.value.response["Error"]["Code"] == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    stats = control("stats")
    assert stats["injected"]["throttle"] == 1
    assert stats["forwarded_total"] == 0


@pytest.mark.parametrize("service", ["ec2", "sts", "logs", "s3"])
def test_forced_internal_error_is_a_500(proxied, service):
    client, control = proxied
    control("config", {"fault_rate": 1, "faults": ["internal"]})
    calls = {
        "ec2": lambda c: c.describe_vpcs(),
        "sts": lambda c: c.get_caller_identity(),
        "logs": lambda c: c.describe_log_groups(),
        "s3": lambda c: c.list_buckets(),
    }

    with pytest.raises(ClientError) as raised:
        calls[service](client(service))

    assert raised.value.response["Error"]["Code"] == "InternalError"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500


def test_forced_reset_closes_the_connection_unanswered(proxied):
    client, control = proxied
    control("config", {"fault_rate": 1, "faults": ["reset"]})

    with pytest.raises((ConnectionClosedError, EndpointConnectionError)):
        client("ec2").describe_vpcs()

    stats = control("stats")
    assert stats["injected"]["reset"] == 1
    assert stats["forwarded_total"] == 0


def test_reset_after_forwarding_applies_the_call_but_loses_the_answer(proxied):
    client, control = proxied
    control("config", {"fault_rate": 1, "faults": ["reset_after"]})

    with pytest.raises((ConnectionClosedError, EndpointConnectionError)):
        client("s3").create_bucket(Bucket="proxy-lost-answer")

    control("config", {"fault_rate": 0})
    assert "proxy-lost-answer" in [b["Name"] for b in client("s3").list_buckets()["Buckets"]]
    assert control("stats")["forwarded"]["s3"]["CreateBucket"] == 1


def test_lose_first_loses_the_first_answer_of_each_targeted_operation_per_region(proxied):
    client, control = proxied
    control("config", {"lose_first": ["Create*", "sqs:GetQueueUrl"]})

    for region in ("us-east-1", "us-west-2"):
        sqs = client("sqs", region=region)
        with pytest.raises((ConnectionClosedError, EndpointConnectionError)):
            sqs.create_queue(QueueName="lost-first")  # applied, answer lost
        sqs.create_queue(QueueName="lost-second")  # the second call of the operation passes
        with pytest.raises((ConnectionClosedError, EndpointConnectionError)):
            sqs.get_queue_url(QueueName="lost-first")  # matched as service:Operation
        assert sqs.get_queue_url(QueueName="lost-first")["QueueUrl"].endswith("/lost-first")
    client("sqs").list_queues()  # not targeted

    stats = control("stats")
    assert stats["lost_answers"] == [
        "sqs:us-east-1:CreateQueue", "sqs:us-east-1:GetQueueUrl", "sqs:us-west-2:CreateQueue", "sqs:us-west-2:GetQueueUrl",
    ]  # fmt: skip
    assert stats["injected"]["reset_after"] == 4
    assert stats["forwarded"]["sqs"]["CreateQueue"] == 4


def test_lose_first_retried_by_botocore_meets_what_the_first_call_made(proxied):
    client, control = proxied
    control("config", {"lose_first": ["CreateBucket"]})
    retrying = Config(retries={"total_max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=10)

    client("s3", config=retrying).create_bucket(Bucket="proxy-lost-then-retried")

    assert control("stats")["forwarded"]["s3"]["CreateBucket"] == 2


def test_lose_first_takes_only_a_list_of_patterns(proxied):
    _client, control = proxied
    with pytest.raises(urllib.error.HTTPError):
        control("config", {"lose_first": "Create*"})


def test_forced_delay_holds_then_forwards(proxied):
    client, control = proxied
    control("config", {"fault_rate": 1, "faults": ["delay"], "delay_ms": 300})

    started = time.monotonic()
    client("sts").get_caller_identity()

    assert time.monotonic() - started >= 0.3
    stats = control("stats")
    assert stats["injected"]["delay"] == 1
    assert stats["forwarded"] == {"sts": {"GetCallerIdentity": 1}}


def test_botocore_retries_an_injected_throttle_and_succeeds(proxied):
    client, control = proxied
    # A seed whose first draw injects and whose second does not.
    seed = next(s for s in range(1000) if _draws(s, 0.5, 2) == [True, False])
    control("config", {"fault_rate": 0.5, "faults": ["throttle"], "seed": seed})
    retrying = Config(retries={"total_max_attempts": 3, "mode": "standard"})

    client("ec2", config=retrying).describe_vpcs()

    stats = control("stats")
    assert stats["injected"]["throttle"] == 1
    assert stats["forwarded"] == {"ec2": {"DescribeVpcs": 1}}


def _draws(seed, rate, n):
    rng = random.Random(seed)
    out = []
    for _call in range(n):
        hit = rng.random() < rate
        if hit:
            rng.choice(["throttle"])
        out.append(hit)
    return out


def _faults_for(client, control, seed):
    control("config", {"fault_rate": 0.5, "faults": ["throttle", "internal", "delay"], "delay_ms": 1, "seed": seed})
    control("reset")
    sts = client("sts")
    for _call in range(16):
        try:
            sts.get_caller_identity()
        except ClientError:
            pass
    return control("stats")["injected_log"]


def test_a_seed_reproduces_the_fault_sequence(proxied):
    client, control = proxied

    first = _faults_for(client, control, 7)
    second = _faults_for(client, control, 7)
    other = _faults_for(client, control, 8)

    assert first == second
    assert 0 < len(first) < 16
    assert first != other


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1:4566",
        "http://example.com:80",
        "https://127.0.0.1:4566",
        "http://169.254.169.254",
        "ftp://127.0.0.1",
    ],
)
def test_non_loopback_upstreams_are_refused(url):
    with pytest.raises(ValueError):
        faulty_proxy.loopback_upstream(url)
    with pytest.raises(ValueError):
        faulty_proxy.ProxyServer(0, url, faulty_proxy.Stats(0, ["throttle"], None, 0))
    with pytest.raises(SystemExit):
        faulty_proxy.parse_args(["--port", "1", "--upstream", url])


def test_loopback_upstreams_are_accepted():
    assert faulty_proxy.loopback_upstream("http://127.0.0.1:4566") == ("127.0.0.1", 4566)
    assert faulty_proxy.loopback_upstream("http://localhost:4566") == ("127.0.0.1", 4566)
    assert faulty_proxy.loopback_upstream("http://127.0.0.2:80")[0] == "127.0.0.2"


def test_sigterm_writes_the_stats_file(upstream, tmp_path):
    stats_file = tmp_path / "stats.json"
    process = subprocess.Popen(
        [sys.executable, str(TOOL), "serve", "--port", "0", "--upstream", upstream, "--stats-file", str(stats_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        # Port 0: the proxy chose one; read it from the first line.
        line = process.stdout.readline()
        port = int(line.split("http://127.0.0.1:")[1].split()[0])
        boto3.client("sts", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{port}").get_caller_identity()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__proxy__/stats", timeout=5) as response:
            assert json.loads(response.read())["forwarded"] == {"sts": {"GetCallerIdentity": 1}}
        stats_file.unlink()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert json.loads(stats_file.read_text())["forwarded"] == {"sts": {"GetCallerIdentity": 1}}
