"""The traffic drill's client: asks Route 53 where the application record points, calls
the answer's load balancer on the emulator's data plane, flips the application's fault
switch, and times how long the answer takes to move.

    traffic.py <endpoint> steady|fail|recover

- ``steady``: TestDNSAnswer answers the PRIMARY record's ALB, whose ``GET /health`` is 200.
- ``fail``: sets ``DR_FAULT_HEALTH=true`` on the PRIMARY region's function (its ``/health``
  answers 503), then waits for the answer to become the SECONDARY's ALB, within
  FailureThreshold x RequestInterval (scaled) and some slack; ``GET /health`` through
  that ALB answers 200 with the SECONDARY's region; the PRIMARY's health-check alarm
  goes to ALARM.
- ``recover``: removes the switch and waits for the answer to move back and the alarm
  to return to OK.

Everything is found, not named: the hosted zone holding the failover records, their
health checks, the alarms on those checks' HealthCheckStatus, the functions behind the
ALBs. Prints a line per step, then one JSON line of what it measured; exits 1 with one
line saying what is wrong.
"""

from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from emulator import client  # noqa: E402  pylint: disable=wrong-import-position

SLACK_SECONDS = 3.0  # on top of the checks' own budget: a loaded CI machine's scheduling
ALARM_TIMEOUT_SECONDS = 20.0


class DrillFailed(Exception):
    pass


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def region_of(dns_name: str) -> str:
    parts = dns_name.lower().rstrip(".").split(".")
    return parts[parts.index("elb") - 1] if "elb" in parts else ""


def failover_record(route53: Any) -> dict[str, Any]:
    """The zone and name of the failover records, with each role's target and health check."""
    for zone in route53.list_hosted_zones()["HostedZones"]:
        records = route53.list_resource_record_sets(HostedZoneId=zone["Id"])["ResourceRecordSets"]
        roles = {r["Failover"]: r for r in records if r.get("Failover") and r.get("AliasTarget")}
        if {"PRIMARY", "SECONDARY"} <= set(roles):
            found = {"zone": zone["Id"], "name": roles["PRIMARY"]["Name"], "type": roles["PRIMARY"]["Type"]}
            for role, record in roles.items():
                target = record["AliasTarget"]["DNSName"].rstrip(".").lower()
                check = route53.get_health_check(HealthCheckId=record["HealthCheckId"])["HealthCheck"]
                found[role] = {"alb": target, "region": region_of(target), "check": check}
            return found
    raise DrillFailed("no hosted zone holds PRIMARY and SECONDARY alias records")


def answer(route53: Any, record: dict[str, Any]) -> str:
    data = route53.test_dns_answer(HostedZoneId=record["zone"], RecordName=record["name"], RecordType=record["type"])
    return (data["RecordData"] or [""])[0].rstrip(".").lower()


def observed(route53: Any, check_id: str) -> str:
    observations = route53.get_health_check_status(HealthCheckId=check_id)["HealthCheckObservations"]
    return observations[0]["StatusReport"]["Status"] if observations else "no observation"


def describe(check: dict[str, Any]) -> str:
    config = check["HealthCheckConfig"]
    return (
        f"health check {check['Id']} ({config['Type']} {config.get('FullyQualifiedDomainName')}:{config.get('Port')}"
        f"{config.get('ResourcePath', '')})"
    )


def health(endpoint: str, alb: str) -> tuple[int, dict[str, Any]]:
    """``GET /health`` through the ALB's HTTP:80 listener on the data plane."""
    listed = get_json(f"{endpoint}/moto-api/data-plane/load-balancers")["load_balancers"]
    lb = next((lb for lb in listed if lb["dns_name"].lower() == alb), None)
    listener = next((item for item in (lb or {}).get("listeners", []) if item["port"] == 80), None)
    if listener is None:
        raise DrillFailed(f"the data plane serves no HTTP:80 listener for {alb}")
    try:
        with urllib.request.urlopen(f"{listener['url']}/health", timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def alarm_of(cloudwatch: Any, check_id: str) -> dict[str, Any]:
    for alarm in cloudwatch.describe_alarms(AlarmTypes=["MetricAlarm"])["MetricAlarms"]:
        if alarm.get("MetricName") == "HealthCheckStatus" and alarm.get("Dimensions") == [
            {"Name": "HealthCheckId", "Value": check_id}
        ]:
            return alarm
    raise DrillFailed(f"no alarm watches HealthCheckStatus of health check {check_id}")


def wait_alarm(cloudwatch: Any, name: str, state: str, timeout: float) -> float:
    start = time.monotonic()
    while True:
        found = cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]
        if found["StateValue"] == state:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise DrillFailed(
                f"alarm {name} is still {found['StateValue']} after {timeout:.0f} s, not {state}: {found['StateReason']}"
            )
        time.sleep(0.1)


def fault_switch(endpoint: str, alb: str, on: bool) -> str:
    """Set or remove ``DR_FAULT_HEALTH`` on the function behind ``alb``; returns the function's name."""
    region = region_of(alb)
    elbv2, lambdas = client(endpoint, "elbv2", region), client(endpoint, "lambda", region)
    lb = next(lb for lb in elbv2.describe_load_balancers()["LoadBalancers"] if lb["DNSName"].lower() == alb)
    groups = elbv2.describe_target_groups(LoadBalancerArn=lb["LoadBalancerArn"])["TargetGroups"]
    targets = elbv2.describe_target_health(TargetGroupArn=groups[0]["TargetGroupArn"])["TargetHealthDescriptions"]
    function = targets[0]["Target"]["Id"]
    variables = lambdas.get_function_configuration(FunctionName=function).get("Environment", {}).get("Variables", {})
    variables = {k: v for k, v in variables.items() if k != "DR_FAULT_HEALTH"}
    if on:
        variables["DR_FAULT_HEALTH"] = "true"
    return lambdas.update_function_configuration(FunctionName=function, Environment={"Variables": variables})[
        "FunctionName"
    ]


def wait_answer(route53: Any, record: dict[str, Any], want: dict[str, Any], budget: float, start: float) -> float:
    """Seconds from ``start`` (a monotonic time) until TestDNSAnswer answers ``want``'s ALB."""
    while True:
        now = answer(route53, record)
        if now == want["alb"]:
            return time.monotonic() - start
        if time.monotonic() - start > budget:
            raise DrillFailed(
                f"TestDNSAnswer still answers {now} {budget:.1f} s later, not {want['alb']} ({want['region']}); "
                f"PRIMARY {describe(record['PRIMARY']['check'])} observes "
                f"'{observed(route53, record['PRIMARY']['check']['Id'])}'"
            )
        time.sleep(0.05)


def budget(record: dict[str, Any], scale: float) -> float:
    config = record["PRIMARY"]["check"]["HealthCheckConfig"]
    # Threshold consecutive probes, the first up to one interval after the change.
    return (config["FailureThreshold"] + 1) * config["RequestInterval"] * scale


def main() -> int:
    endpoint, phase = sys.argv[1], sys.argv[2]
    route53, cloudwatch = client(endpoint, "route53"), client(endpoint, "cloudwatch")
    scale = get_json(f"{endpoint}/moto-api/data-plane/settings")["check_scale"]
    record = failover_record(route53)
    primary, secondary = record["PRIMARY"], record["SECONDARY"]
    alarm = alarm_of(cloudwatch, primary["check"]["Id"])
    config = primary["check"]["HealthCheckConfig"]
    result: dict[str, Any] = {
        "phase": phase,
        "record": record["name"],
        "check_scale": scale,
        "interval_s": config["RequestInterval"] * scale,
        "failure_threshold": config["FailureThreshold"],
        "alarm": alarm["AlarmName"],
    }
    try:
        if phase == "steady":
            now = answer(route53, record)
            if now != primary["alb"]:
                raise DrillFailed(
                    f"TestDNSAnswer answers {now or 'nothing'}, not the PRIMARY ALB {primary['alb']} ({primary['region']}): "
                    f"{describe(primary['check'])} observes '{observed(route53, primary['check']['Id'])}'"
                )
            status, body = health(endpoint, now)
            if (status, body.get("region")) != (200, primary["region"]):
                raise DrillFailed(f"GET /health through {now} answers {status} {body}, not 200 from {primary['region']}")
            print(f"{record['name']} -> {now} ({primary['region']}); GET /health: {status} {body.get('region')}")
            result.update(answer=now, region=body.get("region"), observed=observed(route53, primary["check"]["Id"]))
        elif phase == "fail":
            function = fault_switch(endpoint, primary["alb"], True)
            switched = time.monotonic()
            print(f"DR_FAULT_HEALTH=true on {function} ({primary['region']})")
            status, _ignored = health(endpoint, primary["alb"])
            if status != 503:
                raise DrillFailed(f"GET /health through {primary['alb']} answers {status} with the fault switch on, not 503")
            allowed = budget(record, scale) + SLACK_SECONDS
            moved = wait_answer(route53, record, secondary, allowed, switched)
            print(
                f"{record['name']} -> {secondary['alb']} ({secondary['region']}) after {moved:.2f} s "
                f"(threshold {config['FailureThreshold']} x interval {config['RequestInterval'] * scale:g} s)"
            )
            status, body = health(endpoint, secondary["alb"])
            if (status, body.get("region")) != (200, secondary["region"]):
                raise DrillFailed(
                    f"GET /health through {secondary['alb']} answers {status} {body}, not 200 from {secondary['region']}"
                )
            print(f"GET /health through {secondary['alb']}: {status} {body}")
            alarmed = wait_alarm(cloudwatch, alarm["AlarmName"], "ALARM", ALARM_TIMEOUT_SECONDS)
            print(f"{alarm['AlarmName']} -> ALARM after {alarmed:.2f} s more")
            result.update(
                answer=secondary["alb"], region=body.get("region"), moved_after_s=round(moved, 2),
                expected_s=round(budget(record, scale) - config["RequestInterval"] * scale, 2),
                allowed_s=round(allowed, 2), alarm_after_s=round(alarmed, 2),
                observed=observed(route53, primary["check"]["Id"]),
            )  # fmt: skip
        elif phase == "recover":
            function = fault_switch(endpoint, primary["alb"], False)
            switched = time.monotonic()
            print(f"DR_FAULT_HEALTH removed from {function} ({primary['region']})")
            allowed = budget(record, scale) + SLACK_SECONDS
            moved = wait_answer(route53, record, primary, allowed, switched)
            print(
                f"{record['name']} -> {primary['alb']} ({primary['region']}) after {moved:.2f} s "
                f"(threshold {config['FailureThreshold']} x interval {config['RequestInterval'] * scale:g} s)"
            )
            cleared = wait_alarm(cloudwatch, alarm["AlarmName"], "OK", ALARM_TIMEOUT_SECONDS)
            print(f"{alarm['AlarmName']} -> OK after {cleared:.2f} s more")
            result.update(answer=primary["alb"], moved_after_s=round(moved, 2), allowed_s=round(allowed, 2),
                          alarm_after_s=round(cleared, 2), observed=observed(route53, primary["check"]["Id"]))  # fmt: skip
        else:
            raise DrillFailed(f"unknown phase {phase!r}: steady, fail or recover")
    except DrillFailed as error:
        print(f"traffic drill ({phase}): {error}")
        return 1
    print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
