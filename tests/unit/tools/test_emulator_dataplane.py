"""Emulator extension: the local data plane (tools/emulator_dataplane.py).

ALBs serve their Lambda functions on loopback ports, Route 53 health checks
probe them, GetHealthCheckStatus reports the probes, the HealthCheckStatus
metric and its alarms follow, and TestDNSAnswer answers failover records from
the checks. moto runs in-process; each function runs in a process of its own.
"""

from __future__ import annotations

import http.client
import io
import json
import uuid
import zipfile
from pathlib import Path

import pytest

import emulator_dataplane

REGION = "us-east-1"
DR = "us-west-2"
HANDLER = Path(__file__).resolve().parents[3] / "roles/lambda_alb/files/app/handler.py"
ECHO = """
import json, os, time

def handler(event, context):
    path = event.get("path")
    if path == "/raise":
        raise RuntimeError("boom")
    if path == "/malformed":
        return {"body": "no status"}
    if path == "/sleep":
        time.sleep(5)
    if path == "/env":
        keys = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "APP_SETTING", "DR_TEST_OUTSIDE")
        return {"statusCode": 200, "body": json.dumps({k: os.environ.get(k) for k in keys})}
    return {"statusCode": 201, "statusDescription": "201 Created", "headers": {"X-Echo": "1"},
            "multiValueHeaders": {"X-Echo": ["a", "b"]}, "body": json.dumps(event)}
"""


def package(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def plane(aws, tmp_path):
    data_plane = emulator_dataplane.DataPlane(tmp_path, scale=0.01)
    emulator_dataplane.use(data_plane)
    yield data_plane
    emulator_dataplane.use(None)
    data_plane.stop()


def make_app(aws, region, code, handler, environment=None, timeout=3, multi_value=False):
    """A function behind an internet-facing ALB's HTTP:80 listener; returns (dns name, target group ARN, function ARN)."""
    suffix = uuid.uuid4().hex[:6]
    role = aws.client("iam", region_name=region).create_role(
        RoleName=f"role-{suffix}",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    function = aws.client("lambda", region_name=region).create_function(
        FunctionName=f"fn-{suffix}", Runtime="python3.12", Role=role, Handler=handler,
        Code={"ZipFile": code}, Timeout=timeout, Environment={"Variables": environment or {}},
    )["FunctionArn"]  # fmt: skip
    ec2 = aws.client("ec2", region_name=region)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{n}.0/24", AvailabilityZone=f"{region}{zone}")["Subnet"]["SubnetId"]
        for n, zone in enumerate("ab")
    ]
    elbv2 = aws.client("elbv2", region_name=region)
    lb = elbv2.create_load_balancer(Name=f"alb-{suffix}", Subnets=subnets, Scheme="internet-facing")["LoadBalancers"][0]
    group = elbv2.create_target_group(Name=f"tg-{suffix}", TargetType="lambda")["TargetGroups"][0]["TargetGroupArn"]
    if multi_value:
        elbv2.modify_target_group_attributes(
            TargetGroupArn=group, Attributes=[{"Key": "lambda.multi_value_headers.enabled", "Value": "true"}]
        )
    elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": function}])
    elbv2.create_listener(
        LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80,
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )  # fmt: skip
    return lb["DNSName"], group, function


def app(aws, region=REGION, **kwargs):
    kwargs.setdefault("environment", {"DR_REGION": region, "DR_IS_PRIMARY": str(region == REGION).lower()})
    return make_app(aws, region, package({"handler.py": HANDLER.read_text()}), "handler.lambda_handler", **kwargs)


def echo_app(aws, **kwargs):
    return make_app(aws, REGION, package({"echo.py": ECHO}), "echo.handler", **kwargs)


def request(plane, dns_name, path, method="GET", headers=None, body=None):
    entry = next(lb for lb in plane.load_balancers() if lb["dns_name"] == dns_name)
    listener = next(item for item in entry["listeners"] if item["port"] == 80)
    assert listener["address"] == "127.0.0.1"
    connection = http.client.HTTPConnection("127.0.0.1", listener["local_port"], timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


# --- load balancers and functions ------------------------------------------------------------


def test_an_albs_listener_serves_its_function_on_loopback(aws, plane):
    dns_name, _ignored, _ignored = app(aws)

    listed = plane.load_balancers()
    response, data = request(plane, dns_name, "/health")

    assert [lb["dns_name"] for lb in listed] == [dns_name]
    assert listed[0]["listeners"][0]["url"].startswith("http://127.0.0.1:")
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/json"
    assert json.loads(data)["region"] == REGION and json.loads(data)["status"] == "healthy"


def test_the_event_has_albs_shape_with_single_value_headers(aws, plane):
    dns_name, group, _ignored = echo_app(aws)

    response, data = request(plane, dns_name, "/a/b?x=1&x=2&y=a%20b", headers={"X-Custom": "v"})
    event = json.loads(data)

    assert response.status == 201 and response.reason == "Created"
    assert response.getheader("X-Echo") == "1"  # from headers, not multiValueHeaders
    assert event["requestContext"] == {"elb": {"targetGroupArn": group}}
    assert (event["httpMethod"], event["path"], event["isBase64Encoded"]) == ("GET", "/a/b", False)
    assert event["queryStringParameters"] == {"x": "2", "y": "a%20b"}  # not URL-decoded, last value
    assert event["headers"]["x-custom"] == "v" and event["headers"]["x-forwarded-port"] == "80"
    assert event["headers"]["x-forwarded-proto"] == "http"
    assert "multiValueHeaders" not in event


def test_multi_value_headers_when_the_target_group_enables_them(aws, plane):
    dns_name, _ignored, _ignored = echo_app(aws, multi_value=True)

    response, data = request(plane, dns_name, "/?x=1&x=2", method="POST", body=b"\x00\x01",
                             headers={"Content-Type": "application/octet-stream"})  # fmt: skip
    event = json.loads(data)

    assert response.getheader("X-Echo") == "a, b"  # both values of multiValueHeaders
    assert event["multiValueQueryStringParameters"] == {"x": ["1", "2"]}
    assert event["multiValueHeaders"]["content-type"] == ["application/octet-stream"]
    assert (event["body"], event["isBase64Encoded"]) == ("AAE=", True)
    assert "headers" not in event


def test_a_function_that_fails_or_answers_malformed_is_a_502(aws, plane):
    dns_name, _ignored, _ignored = echo_app(aws, timeout=1)

    assert request(plane, dns_name, "/raise")[0].status == 502
    assert request(plane, dns_name, "/malformed")[0].status == 502
    assert request(plane, dns_name, "/sleep")[0].status == 502  # killed at its 1 s timeout
    assert request(plane, dns_name, "/")[0].status == 201  # a new environment after the timeout


def test_no_registered_target_is_a_503(aws, plane):
    dns_name, group, function = app(aws)
    aws.client("elbv2", region_name=REGION).deregister_targets(TargetGroupArn=group, Targets=[{"Id": function}])

    assert request(plane, dns_name, "/health")[0].status == 503


def test_the_function_runs_with_its_environment_and_only_fake_credentials(aws, plane, monkeypatch):
    monkeypatch.setenv("DR_TEST_OUTSIDE", "the emulator's own environment")
    dns_name, _ignored, _ignored = echo_app(aws, environment={"APP_SETTING": "on"})

    seen = json.loads(request(plane, dns_name, "/env")[1])

    assert seen == {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "APP_SETTING": "on",
        "DR_TEST_OUTSIDE": None,
    }


def test_a_changed_environment_takes_effect_on_the_next_request(aws, plane):
    dns_name, _ignored, function = app(aws)
    assert json.loads(request(plane, dns_name, "/health")[1])["isPrimary"] is True

    aws.client("lambda", region_name=REGION).update_function_configuration(
        FunctionName=function, Environment={"Variables": {"DR_REGION": REGION, "DR_IS_PRIMARY": "false"}}
    )

    assert json.loads(request(plane, dns_name, "/health")[1])["isPrimary"] is False


def test_a_deleted_load_balancer_stops_being_served(aws, plane):
    dns_name, _ignored, _ignored = app(aws)
    assert plane.load_balancers()
    elbv2 = aws.client("elbv2", region_name=REGION)
    for lb in elbv2.describe_load_balancers()["LoadBalancers"]:
        for listener in elbv2.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]:
            elbv2.delete_listener(ListenerArn=listener["ListenerArn"])
        elbv2.delete_load_balancer(LoadBalancerArn=lb["LoadBalancerArn"])

    assert plane.load_balancers() == []


# --- health checks, their metric and alarms ---------------------------------------------------


def health_check(aws, dns_name, path="/health", port=80, threshold=2, kind="HTTP"):
    return aws.client("route53", region_name=REGION).create_health_check(
        CallerReference=uuid.uuid4().hex,
        HealthCheckConfig={"Type": kind, "FullyQualifiedDomainName": dns_name, "Port": port,
                           "ResourcePath": path, "RequestInterval": 10, "FailureThreshold": threshold},
    )["HealthCheck"]["Id"]  # fmt: skip


def probe(plane, check_id, times):
    for _ignored in range(times):
        state = plane.check_now("123456789012", check_id)
    return state


def test_a_passing_check_reports_its_checkers_observations(aws, plane):
    dns_name, _ignored, _ignored = app(aws)
    plane.sync_listeners()
    check_id = health_check(aws, dns_name)

    probe(plane, check_id, 1)
    observations = aws.client("route53", region_name=REGION).get_health_check_status(HealthCheckId=check_id)[
        "HealthCheckObservations"
    ]

    assert len(observations) == 8  # Route 53's default checker regions
    assert {o["StatusReport"]["Status"] for o in observations} == {"Success: HTTP Status Code 200, OK"}
    assert plane.effective("123456789012", check_id)


@pytest.mark.parametrize(
    ("path", "port", "status"),
    [
        ("/wrong-path", 80, "Failure: HTTP Status Code 404, Not Found"),
        ("/health", 8080, "Failure: Connection refused"),
    ],
)
def test_a_check_at_the_wrong_path_or_port_fails_after_its_threshold(aws, plane, path, port, status):
    dns_name, _ignored, _ignored = app(aws)
    plane.sync_listeners()
    check_id = health_check(aws, dns_name, path=path, port=port, threshold=3)

    state = probe(plane, check_id, 2)
    assert plane.effective("123456789012", check_id)  # two failures: still healthy at threshold 3
    state = probe(plane, check_id, 1)

    assert not plane.effective("123456789012", check_id)
    assert state.last_status.startswith(status)


def test_an_unknown_host_fails_without_any_connection(aws, plane, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("the checker tried to connect")

    monkeypatch.setattr(http.client.HTTPConnection, "connect", no_connection)
    monkeypatch.setattr(emulator_dataplane.socket, "create_connection", no_connection)
    check_id = health_check(aws, "www.example.com", threshold=1)

    state = probe(plane, check_id, 1)

    assert state.last_status.startswith("Failure: DNS resolution failed")
    assert not plane.effective("123456789012", check_id)


def test_a_failing_function_fails_its_check_and_recovers(aws, plane):
    dns_name, group, function = app(aws)
    plane.sync_listeners()
    check_id = health_check(aws, dns_name, threshold=2)
    elbv2 = aws.client("elbv2", region_name=REGION)

    elbv2.deregister_targets(TargetGroupArn=group, Targets=[{"Id": function}])
    probe(plane, check_id, 2)
    assert not plane.effective("123456789012", check_id)
    elbv2.register_targets(TargetGroupArn=group, Targets=[{"Id": function}])
    probe(plane, check_id, 1)
    assert not plane.effective("123456789012", check_id)  # one success is not the threshold
    probe(plane, check_id, 1)

    assert plane.effective("123456789012", check_id)


def test_health_check_status_is_published_and_its_alarm_follows(aws, plane):
    dns_name, _ignored, _ignored = app(aws)
    plane.sync_listeners()
    check_id = health_check(aws, dns_name, path="/nope", threshold=1)
    cloudwatch = aws.client("cloudwatch", region_name=REGION)
    cloudwatch.put_metric_alarm(
        AlarmName="hc", Namespace="AWS/Route53", MetricName="HealthCheckStatus", Statistic="Minimum",
        Dimensions=[{"Name": "HealthCheckId", "Value": check_id}], Period=60, EvaluationPeriods=1,
        Threshold=1, ComparisonOperator="LessThanThreshold", TreatMissingData="breaching",
    )  # fmt: skip

    probe(plane, check_id, 1)
    alarm = cloudwatch.describe_alarms(AlarmNames=["hc"])["MetricAlarms"][0]
    metrics = cloudwatch.list_metrics(Namespace="AWS/Route53", MetricName="HealthCheckStatus")["Metrics"]

    assert metrics[0]["Dimensions"] == [{"Name": "HealthCheckId", "Value": check_id}]
    assert alarm["StateValue"] == "ALARM"
    assert alarm["StateReason"].startswith("Threshold Crossed: 1 out of the last 1 datapoints [0]")


def test_alarm_evaluation_counts_datapoints_to_alarm_and_missing_data(aws, plane):
    cloudwatch = aws.client("cloudwatch", region_name=REGION)
    cloudwatch.put_metric_alarm(
        AlarmName="a", Namespace="AWS/Route53", MetricName="HealthCheckStatus", Statistic="Minimum",
        Dimensions=[{"Name": "HealthCheckId", "Value": "x"}], Period=100, EvaluationPeriods=2,
        Threshold=1, ComparisonOperator="LessThanThreshold", TreatMissingData="notBreaching",
    )  # fmt: skip
    from moto.cloudwatch.models import cloudwatch_backends

    backend = cloudwatch_backends["123456789012"][REGION]
    alarm = backend.alarms["a"]
    plane.scale = 0.01  # periods of 1 s

    assert plane.evaluate(backend, alarm, [(9.5, 0.0)], now=10.0) == "OK"  # 1 of 2 breaching
    assert plane.evaluate(backend, alarm, [(8.5, 0.0), (9.5, 0.0)], now=10.0) == "ALARM"
    assert plane.evaluate(backend, alarm, [(8.5, 0.0), (9.5, 1.0)], now=10.0) == "OK"
    assert plane.evaluate(backend, alarm, [], now=10.0) == "OK"  # missing, not breaching


# --- TestDNSAnswer ----------------------------------------------------------------------------


def failover_zone(aws, primary, secondary, primary_check=None, secondary_check=None, evaluate=True):
    route53 = aws.client("route53", region_name=REGION)
    zone = route53.create_hosted_zone(Name="example.org", CallerReference=uuid.uuid4().hex)["HostedZone"]["Id"]
    changes = []
    for role, target, check in (("PRIMARY", primary, primary_check), ("SECONDARY", secondary, secondary_check)):
        record = {
            "Name": "app.example.org", "Type": "A", "SetIdentifier": role.lower(), "Failover": role,
            "AliasTarget": {"HostedZoneId": "Z35SXDOTRQ7X7K", "DNSName": target, "EvaluateTargetHealth": evaluate},
        }  # fmt: skip
        if check:
            record["HealthCheckId"] = check
        changes.append({"Action": "CREATE", "ResourceRecordSet": record})
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": changes})
    return zone


def answer(aws, zone, name="app.example.org"):
    found = aws.client("route53", region_name=REGION).test_dns_answer(HostedZoneId=zone, RecordName=name, RecordType="A")
    return found["ResponseCode"], found["RecordData"]


def test_dns_answer_follows_the_primarys_health_check(aws, plane):
    primary, _ignored, _ignored = app(aws)
    secondary, _ignored, _ignored = app(aws, region=DR)
    plane.sync_listeners()
    primary_check, secondary_check = health_check(aws, primary, threshold=1), health_check(aws, secondary, threshold=1)
    zone = failover_zone(aws, primary, secondary, primary_check, secondary_check)

    assert answer(aws, zone) == ("NOERROR", [primary.lower()])
    aws.client("route53", region_name=REGION).update_health_check(HealthCheckId=primary_check, ResourcePath="/nope")
    probe(plane, primary_check, 1)
    assert answer(aws, zone) == ("NOERROR", [secondary.lower()])
    aws.client("route53", region_name=REGION).update_health_check(HealthCheckId=secondary_check, Port=81)
    probe(plane, secondary_check, 1)
    assert answer(aws, zone) == ("NOERROR", [primary.lower()])  # both unhealthy: as if both were healthy
    assert answer(aws, zone, "nothing.example.org") == ("NXDOMAIN", [])


def test_dns_answer_evaluates_the_alias_targets_health(aws, plane):
    primary, group, function = app(aws)
    secondary, _ignored, _ignored = app(aws, region=DR)
    zone = failover_zone(aws, primary, secondary)
    aws.client("elbv2", region_name=REGION).deregister_targets(TargetGroupArn=group, Targets=[{"Id": function}])

    assert answer(aws, zone) == ("NOERROR", [secondary.lower()])


def test_without_evaluate_target_health_the_alias_target_is_not_judged(aws, plane):
    primary, group, function = app(aws)
    secondary, _ignored, _ignored = app(aws, region=DR)
    zone = failover_zone(aws, primary, secondary, evaluate=False)
    aws.client("elbv2", region_name=REGION).deregister_targets(TargetGroupArn=group, Targets=[{"Id": function}])

    assert answer(aws, zone) == ("NOERROR", [primary.lower()])


def test_simple_records_answer_their_values(aws, plane):
    route53 = aws.client("route53", region_name=REGION)
    zone = route53.create_hosted_zone(Name="example.org", CallerReference=uuid.uuid4().hex)["HostedZone"]["Id"]
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [{"Action": "CREATE", "ResourceRecordSet": {
        "Name": "www.example.org", "Type": "A", "TTL": 60, "ResourceRecords": [{"Value": "192.0.2.1"}]}}]})  # fmt: skip

    assert answer(aws, zone, "www.example.org") == ("NOERROR", ["192.0.2.1"])


def self_signed(name):
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    return (
        cert.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                          serialization.NoEncryption()),
    )  # fmt: skip


def test_an_https_listener_serves_with_its_imported_certificate(aws, plane):
    import ssl

    dns_name, group, _ignored = app(aws)
    cert, key = self_signed("app.example.org")
    certificate = aws.client("acm", region_name=REGION).import_certificate(Certificate=cert, PrivateKey=key)["CertificateArn"]
    elbv2 = aws.client("elbv2", region_name=REGION)
    lb = elbv2.describe_load_balancers()["LoadBalancers"][0]["LoadBalancerArn"]
    elbv2.create_listener(
        LoadBalancerArn=lb, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": certificate}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group}],
    )  # fmt: skip
    listener = next(item for item in plane.load_balancers()[0]["listeners"] if item["port"] == 443)
    context = ssl.create_default_context(cadata=cert.decode())
    context.check_hostname = False

    connection = http.client.HTTPSConnection("127.0.0.1", listener["local_port"], context=context, timeout=10)
    connection.request("GET", "/health")
    response = connection.getresponse()
    check_id = health_check(aws, dns_name, port=443, kind="HTTPS", threshold=1)

    assert listener["url"].startswith("https://127.0.0.1:")
    assert response.status == 200 and json.loads(response.read())["region"] == REGION
    assert probe(plane, check_id, 1).last_status == "Success: HTTP Status Code 200, OK"


def test_a_deleted_functions_environment_is_stopped(aws, plane):
    dns_name, _ignored, function = app(aws)
    request(plane, dns_name, "/health")
    (worker,) = plane.functions.workers.values()

    aws.client("lambda", region_name=REGION).delete_function(FunctionName=function)
    plane.functions.forget_deleted()

    assert plane.functions.workers == {} and worker.process.poll() is not None
