"""The traffic drill's client (molecule/dr_drill/traffic.py) against moto's server on a
loopback port with the data plane running: traffic moves when the PRIMARY's /health
fails and back when it recovers, and a health check at the wrong path or port makes
the drill fail with one clear line instead of passing.
"""

from __future__ import annotations

import importlib.util
import time
import uuid
from pathlib import Path

import boto3
import pytest

import emulator_dataplane
import emulator_ext
from test_emulator_dataplane import REGION, DR, app

TRAFFIC = Path(__file__).resolve().parents[3] / "molecule/dr_drill/traffic.py"
ACCOUNT = "123456789012"


class Endpoint:
    """boto3 against the server: what ``app()`` needs of the ``aws`` fixture."""

    def __init__(self, url: str) -> None:
        self.url = url

    def client(self, service: str, region_name: str) -> object:
        return boto3.client(service, region_name=region_name, endpoint_url=self.url,
                            aws_access_key_id="testing", aws_secret_access_key="testing")  # fmt: skip


@pytest.fixture
def endpoint(tmp_path):
    from moto.moto_api import _internal  # noqa: F401 - the reset below
    from moto.server import ThreadedMotoServer

    emulator_ext.apply()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    boto3.client("s3", region_name=REGION, endpoint_url=url).meta  # noqa: B018 - a client, to be sure it loads
    data_plane = emulator_dataplane.DataPlane(tmp_path, scale=0.01)
    emulator_dataplane.use(data_plane)
    data_plane.start()
    yield Endpoint(url)
    data_plane.stop()
    emulator_dataplane.use(None)
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"), timeout=10).close()
    server.stop()


@pytest.fixture
def traffic(monkeypatch, capsys):
    spec = importlib.util.spec_from_file_location("traffic", TRAFFIC)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def run(url: str, phase: str) -> tuple[int, str]:
        monkeypatch.setattr("sys.argv", ["traffic.py", url, phase])
        code = module.main()
        return code, capsys.readouterr().out

    return run


def failover_stack(aws: Endpoint) -> tuple[str, str, str]:
    """Two ALB-fronted functions, a health check on each, failover records and the PRIMARY's alarm."""
    primary, _ignored, _ignored = app(aws)
    secondary, _ignored, _ignored = app(aws, region=DR)
    route53 = aws.client("route53", region_name=REGION)
    checks = [
        route53.create_health_check(
            CallerReference=uuid.uuid4().hex,
            HealthCheckConfig={"Type": "HTTP", "FullyQualifiedDomainName": dns, "Port": 80, "ResourcePath": "/health",
                               "RequestInterval": 10, "FailureThreshold": 3},
        )["HealthCheck"]["Id"]  # fmt: skip
        for dns in (primary, secondary)
    ]
    zone = route53.create_hosted_zone(Name="example.org", CallerReference=uuid.uuid4().hex)["HostedZone"]["Id"]
    route53.change_resource_record_sets(HostedZoneId=zone, ChangeBatch={"Changes": [
        {"Action": "CREATE", "ResourceRecordSet": {
            "Name": "app.example.org", "Type": "A", "SetIdentifier": role.lower(), "Failover": role, "HealthCheckId": check,
            "AliasTarget": {"HostedZoneId": "Z35SXDOTRQ7X7K", "DNSName": dns, "EvaluateTargetHealth": True}}}
        for role, dns, check in (("PRIMARY", primary, checks[0]), ("SECONDARY", secondary, checks[1]))]})  # fmt: skip
    aws.client("cloudwatch", region_name=REGION).put_metric_alarm(
        AlarmName="alarm-health-check-primary", Namespace="AWS/Route53", MetricName="HealthCheckStatus",
        Statistic="Minimum", Dimensions=[{"Name": "HealthCheckId", "Value": checks[0]}], Period=60,
        EvaluationPeriods=2, Threshold=1, ComparisonOperator="LessThanThreshold", TreatMissingData="breaching",
    )  # fmt: skip
    return primary, secondary, checks[0]


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_drill_moves_traffic_to_the_secondary_and_back(endpoint, traffic):
    primary, secondary, check = failover_stack(endpoint)
    wait_for(lambda: emulator_dataplane.plane().checks.get((ACCOUNT, check)) is not None)

    steady = traffic(endpoint.url, "steady")
    failed = traffic(endpoint.url, "fail")
    recovered = traffic(endpoint.url, "recover")

    assert steady[0] == 0 and f"-> {primary.lower()} (us-east-1); GET /health: 200 us-east-1" in steady[1]
    assert failed[0] == 0, failed[1]
    assert f"-> {secondary.lower()} (us-west-2) after" in failed[1]
    assert "'region': 'us-west-2'" in failed[1] and "alarm-health-check-primary -> ALARM" in failed[1]
    assert recovered[0] == 0, recovered[1]
    assert f"-> {primary.lower()} (us-east-1) after" in recovered[1] and "-> OK" in recovered[1]


@pytest.mark.parametrize(
    ("change", "observed"),
    [({"ResourcePath": "/wrong"}, "Failure: HTTP Status Code 404"), ({"Port": 8080}, "Failure: Connection refused")],
)
def test_a_check_at_the_wrong_path_or_port_makes_the_drill_fail_clearly(endpoint, traffic, change, observed):
    primary, secondary, check = failover_stack(endpoint)
    endpoint.client("route53", region_name=REGION).update_health_check(HealthCheckId=check, **change)
    wait_for(lambda: not emulator_dataplane.plane().effective(ACCOUNT, check))

    code, out = traffic(endpoint.url, "steady")

    assert code == 1, out
    assert out.startswith(f"traffic drill (steady): TestDNSAnswer answers {secondary.lower()}, not the PRIMARY ALB")
    assert observed in out
