"""The DR status report's helpers: failover targets joined with the checkers, problem lines, Markdown."""

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.filter.dr_status_markdown import (
    dr_failover_target,
    dr_status_line,
    dr_status_markdown,
)

RECORD = {
    "failover": "PRIMARY",
    "health_check_id": "hc-1",
    "alias_target": {"dns_name": "alb-app-us-west-2-dev-1.us-west-2.elb.amazonaws.com."},
}


def observations(*statuses):
    return [{"StatusReport": {"Status": status}} for status in statuses]


def test_a_target_takes_its_region_from_the_load_balancer_name():
    target = dr_failover_target(RECORD, [])

    assert target["region"] == "us-west-2"
    assert target["dns_name"] == "alb-app-us-west-2-dev-1.us-west-2.elb.amazonaws.com"
    assert target["health_check"] == "hc-1"


def test_a_target_is_healthy_when_more_than_18_percent_of_checkers_pass():
    results = [{"item": {"health_check_id": "hc-1"}, "HealthCheckObservations": observations(
        "Success: HTTP Status Code 200", "Failure: timeout", "Failure: timeout", "Failure: timeout")}]

    target = dr_failover_target(RECORD, results)

    assert target["healthy"] is True
    assert target["checkers"] == "1/4"


def test_reads_route53_info_snake_case_observations():
    results = [{"item": {"health_check_id": "hc-1"}, "health_check_observations": [
        {"region": "us-east-1", "status_report": {"status": "Failure: Connection timed out"}}]}]

    target = dr_failover_target(RECORD, results)

    assert target["healthy"] is False
    assert target["checkers"] == "0/1"


def test_a_target_whose_checkers_all_fail_is_not_healthy():
    results = [
        {"item": {"health_check_id": "other"}, "HealthCheckObservations": observations("Success: 200")},
        {"item": {"health_check_id": "hc-1"}, "HealthCheckObservations": observations("Failure: 503", "Failure: 503")},
    ]

    assert dr_failover_target(RECORD, results)["healthy"] is False


def test_a_record_without_health_check_is_not_healthy():
    assert dr_failover_target(dict(RECORD, health_check_id=None), [])["healthy"] is False


def test_a_problem_line_names_the_region():
    row = {"region": "us-east-1", "lag_ms": 250.0}

    assert dr_status_line(row, "replication lag {lag_ms} ms") == "us-east-1: replication lag 250.0 ms"


def test_the_markdown_report_has_both_tables_and_the_verdict():
    report = {
        "environment": "dev",
        "read_at": "2026-11-29T11:00:00",
        "writer_region": "us-west-2",
        "global_cluster": {"identifier": "aurora-global-global-dev", "status": "available", "members": [{}, {}]},
        "regions": [
            {"region": "us-east-1", "home": "primary", "role": "reader", "member": True, "cluster": "available",
             "instances": ["available"], "lag_ms": 250.0, "lag_max_ms": 900.0, "lambda_primary": "false",
             "alarms_in_alarm": [], "s3_replication": ["replicate-all Enabled"], "events_forwarding": "ENABLED"},
        ],
        "failover_record": "app.dev.example.com",
        "failover_targets": [dict(dr_failover_target(RECORD, []), healthy=True)],
        "rpo_guard_ms": 100,
        "ready": False,
        "problems": ["us-east-1: replication lag 250.0 ms is over the RPO guard 100 ms"],
    }

    text = dr_status_markdown(report)

    assert "Writer: **us-west-2**" in text
    assert "| us-east-1 | primary | reader | yes | available | available | 250 (900) | false | - | replicate-all Enabled | ENABLED |" in text
    assert "| PRIMARY | us-west-2 |" in text
    assert "Ready to fail over: **NO**" in text
    assert "- us-east-1: replication lag 250.0 ms is over the RPO guard 100 ms" in text
