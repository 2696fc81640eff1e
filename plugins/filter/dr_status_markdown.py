# -*- coding: utf-8 -*-
# Copyright: contributors to healthcare.dr
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)

from __future__ import annotations

import re
from typing import Any, Mapping

# Each filter is documented in the file named after it beside this one
# (dr_status_markdown.yml, dr_failover_target.yml, dr_status_line.yml), as ansible-doc reads them.

# Route 53 calls an endpoint healthy when more than 18 % of its checkers do.
HEALTHY_SHARE = 0.18
REGION_IN_ELB_NAME = re.compile(r"\.([a-z]{2}(?:-gov)?-[a-z]+-\d)\.elb\.", re.IGNORECASE)


def _status(observation: Mapping[str, Any]) -> str:
    """A checker's status line, from route53_info's snake_case answer or boto3's CamelCase one."""
    report = observation.get("status_report") or observation.get("StatusReport") or {}
    return str(report.get("status") or report.get("Status") or "")


def dr_failover_target(record: Mapping[str, Any], check_results: list[Mapping[str, Any]]) -> dict[str, Any]:
    """A failover record with its region and what the Route 53 checkers report for its health check."""
    alias = record.get("alias_target") or {}
    dns_name = alias.get("dns_name", "")
    found = REGION_IN_ELB_NAME.search(dns_name)
    check_id = record.get("health_check_id")
    observations: list[Mapping[str, Any]] = []
    for result in check_results:
        if check_id and (result.get("item") or {}).get("health_check_id") == check_id:
            observations = result.get("health_check_observations") or result.get("HealthCheckObservations") or []
    passing = [o for o in observations if _status(o).startswith("Success")]
    # No observation at all (a check just made, before its first probe) is not a failure.
    healthy = bool(check_id) and (not observations or len(passing) / len(observations) > HEALTHY_SHARE)
    return {
        "failover": record.get("failover"),
        "region": found.group(1).lower() if found else "",
        "dns_name": dns_name.rstrip("."),
        "health_check": check_id or "none",
        "checkers": f"{len(passing)}/{len(observations)}",
        "healthy": healthy,
    }


def dr_status_line(row: Mapping[str, Any], template: str) -> str:
    """One problem line: ``<region>: <template filled from the row>``."""
    text = template.format(**{k: ("" if v is None else v) for k, v in row.items()})
    return f"{row['region']}: {text}" if row.get("region") else text


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "-"
    return str(value).replace("|", "\\|")


def dr_status_markdown(report: Mapping[str, Any]) -> str:
    glob = report.get("global_cluster") or {}
    lines = [
        f"# DR status of {report.get('environment')} ({report.get('read_at')})",
        "",
        f"Writer: **{report.get('writer_region')}**; global cluster {glob.get('identifier')} is {glob.get('status')}"
        f" with {len(glob.get('members') or [])} members. RPO guard: {report.get('rpo_guard_ms')} ms.",
        "",
        "| Region | Home | Aurora role | Member | Cluster | Instances | Lag ms (max) | Lambda primary "
        "| Alarms in ALARM | S3 replication | Event forwarding |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in report.get("regions") or []:
        lag = "-" if row.get("lag_ms") is None else f"{row['lag_ms']:g} ({row.get('lag_max_ms') or 0:g})"
        lines.append(
            "| "
            + " | ".join(
                _cell(v)
                for v in (
                    row.get("region"),
                    row.get("home"),
                    row.get("role"),
                    "yes" if row.get("member") else "no",
                    row.get("cluster"),
                    row.get("instances"),
                    lag,
                    row.get("lambda_primary"),
                    row.get("alarms_in_alarm"),
                    row.get("s3_replication"),
                    row.get("events_forwarding"),
                )
            )
            + " |"
        )
    lines += [
        "",
        f"Failover record {report.get('failover_record')}:",
        "",
        "| Record | Region | Load balancer | Health check | Checkers passing | Healthy |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for target in report.get("failover_targets") or []:
        lines.append(
            "| "
            + " | ".join(
                _cell(v)
                for v in (
                    target.get("failover"),
                    target.get("region"),
                    target.get("dns_name"),
                    target.get("health_check"),
                    target.get("checkers"),
                    "yes" if target.get("healthy") else "NO",
                )
            )
            + " |"
        )
    lines.append("")
    if report.get("ready"):
        lines.append("Ready to fail over: yes.")
    else:
        lines.append("Ready to fail over: **NO**")
        lines += [f"- {problem}" for problem in report.get("problems") or []]
    return "\n".join(lines) + "\n"


class FilterModule:
    def filters(self):
        return {
            "dr_status_markdown": dr_status_markdown,
            "dr_failover_target": dr_failover_target,
            "dr_status_line": dr_status_line,
        }
