"""eventbridge_rule: rule on a named bus, targets (role, DLQ, retry), purge, check mode, diff, delivery."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthcare.dr.plugins.modules import eventbridge_rule

PRIMARY = "us-east-1"
DR = "us-west-2"
ACCOUNT = "123456789012"  # moto's default account
BUS = "events-bus-us-east-1-dev"
DR_BUS = "events-bus-us-west-2-dev"
RULE = "events-forward-us-east-1-dev"
DR_BUS_ARN = f"arn:aws:events:{DR}:{ACCOUNT}:event-bus/{DR_BUS}"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/iam-eventsforward-us-east-1-dev"
DLQ_ARN = f"arn:aws:sqs:{PRIMARY}:{ACCOUNT}:sqs-eventsdlq-us-east-1-dev"
PATTERN = {"source": ["healthcare.application"]}


@pytest.fixture
def events(aws):
    client = aws.client("events", region_name=PRIMARY)
    client.create_event_bus(Name=BUS)
    aws.client("events", region_name=DR).create_event_bus(Name=DR_BUS)
    return client


def forward_target(**extra):
    target = {
        "id": "dr-bus",
        "arn": DR_BUS_ARN,
        "role_arn": ROLE_ARN,
        "dead_letter_arn": DLQ_ARN,
        "retry_policy": {"maximum_retry_attempts": 10, "maximum_event_age_in_seconds": 3600},
    }
    target.update(extra)
    return target


def args(**extra):
    base = {
        "name": RULE,
        "event_bus_name": BUS,
        "region": PRIMARY,
        "event_pattern": PATTERN,
        "targets": [forward_target()],
    }
    base.update(extra)
    return base


def test_creates_rule_with_target(events, run_module):
    result = run_module(eventbridge_rule, args(description="forward", tags={"Project": "dr"}))
    assert result["changed"] is True
    rule = events.describe_rule(Name=RULE, EventBusName=BUS)
    assert json.loads(rule["EventPattern"]) == PATTERN
    assert rule["State"] == "ENABLED"
    assert rule["Description"] == "forward"
    targets = events.list_targets_by_rule(Rule=RULE, EventBusName=BUS)["Targets"]
    assert targets == [
        {
            "Id": "dr-bus",
            "Arn": DR_BUS_ARN,
            "RoleArn": ROLE_ARN,
            "DeadLetterConfig": {"Arn": DLQ_ARN},
            "RetryPolicy": {"MaximumRetryAttempts": 10, "MaximumEventAgeInSeconds": 3600},
        }
    ]
    assert events.list_tags_for_resource(ResourceARN=rule["Arn"])["Tags"] == [{"Key": "Project", "Value": "dr"}]
    assert result["rule"]["event_bus_name"] == BUS
    assert result["targets"][0]["dead_letter_config"] == {"arn": DLQ_ARN}


def test_second_run_is_unchanged(events, run_module):
    run_module(eventbridge_rule, args(tags={"Project": "dr"}))
    # Same pattern as JSON text with keys in another order: still no change.
    result = run_module(eventbridge_rule, args(tags={"Project": "dr"}, event_pattern=json.dumps(PATTERN)))
    assert result["changed"] is False


def test_check_mode_creates_nothing(events, run_module):
    result = run_module(eventbridge_rule, args(), check_mode=True)
    assert result["changed"] is True
    assert result["targets"][0]["arn"] == DR_BUS_ARN
    assert events.list_rules(EventBusName=BUS)["Rules"] == []


def test_pattern_change_updates_rule_and_keeps_targets(events, run_module):
    run_module(eventbridge_rule, args())
    result = run_module(eventbridge_rule, args(event_pattern={"source": ["other"]}), diff=True)
    assert result["changed"] is True
    assert json.loads(events.describe_rule(Name=RULE, EventBusName=BUS)["EventPattern"]) == {"source": ["other"]}
    assert len(events.list_targets_by_rule(Rule=RULE, EventBusName=BUS)["Targets"]) == 1
    assert result["diff"]["before"]["rule"]["event_pattern"] == PATTERN
    assert result["diff"]["after"]["rule"]["event_pattern"] == {"source": ["other"]}


def test_disable(events, run_module):
    run_module(eventbridge_rule, args())
    assert run_module(eventbridge_rule, args(enabled=False))["changed"] is True
    assert events.describe_rule(Name=RULE, EventBusName=BUS)["State"] == "DISABLED"


def test_target_change_is_applied(events, run_module):
    run_module(eventbridge_rule, args())
    result = run_module(eventbridge_rule, args(targets=[forward_target(retry_policy={"maximum_retry_attempts": 3})]))
    assert result["changed"] is True
    target = events.list_targets_by_rule(Rule=RULE, EventBusName=BUS)["Targets"][0]
    assert target["RetryPolicy"] == {"MaximumRetryAttempts": 3}


def test_unrequested_targets_are_purged(events, run_module):
    run_module(eventbridge_rule, args())
    events.put_targets(Rule=RULE, EventBusName=BUS, Targets=[{"Id": "stray", "Arn": DLQ_ARN}])
    kept = run_module(eventbridge_rule, args(purge_targets=False))
    assert kept["changed"] is False
    purged = run_module(eventbridge_rule, args())
    assert purged["changed"] is True
    ids = [t["Id"] for t in events.list_targets_by_rule(Rule=RULE, EventBusName=BUS)["Targets"]]
    assert ids == ["dr-bus"]


def test_purge_in_check_mode_writes_nothing(events, run_module):
    run_module(eventbridge_rule, args())
    events.put_targets(Rule=RULE, EventBusName=BUS, Targets=[{"Id": "stray", "Arn": DLQ_ARN}])
    result = run_module(eventbridge_rule, args(), check_mode=True)
    assert result["changed"] is True
    assert [t["id"] for t in result["targets"]] == ["dr-bus"]
    assert len(events.list_targets_by_rule(Rule=RULE, EventBusName=BUS)["Targets"]) == 2


def test_omitted_targets_are_left_alone(events, run_module):
    run_module(eventbridge_rule, args())
    without = args()
    del without["targets"]
    assert run_module(eventbridge_rule, without)["changed"] is False
    assert len(events.list_targets_by_rule(Rule=RULE, EventBusName=BUS)["Targets"]) == 1


def test_missing_bus_fails_clearly(events, run_module):
    result = run_module(eventbridge_rule, args(event_bus_name="no-such-bus"))
    assert result["failed"] is True
    assert "Couldn't put rule" in result["msg"]


def test_absent_removes_targets_then_rule_and_is_twice_safe(events, run_module):
    run_module(eventbridge_rule, args())
    absent = {"name": RULE, "event_bus_name": BUS, "region": PRIMARY, "state": "absent"}
    check = run_module(eventbridge_rule, absent, check_mode=True)
    assert check["changed"] is True
    assert len(events.list_rules(EventBusName=BUS)["Rules"]) == 1
    first = run_module(eventbridge_rule, absent)
    assert first["changed"] is True
    assert events.list_rules(EventBusName=BUS)["Rules"] == []
    assert run_module(eventbridge_rule, absent)["changed"] is False
    # Also fine once the bus itself is gone.
    events.delete_event_bus(Name=BUS)
    assert run_module(eventbridge_rule, absent)["changed"] is False


def test_forwarded_event_reaches_the_other_region(aws, events, run_module):
    """The rule the role builds delivers matching events cross-region and nothing else.

    moto delivers to event-bus targets in another region but does not enforce
    bus policies or assume the target role; this checks the rule and pattern.
    """
    sqs = aws.client("sqs", region_name=DR)
    queue_url = sqs.create_queue(QueueName="verify")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    dr_events = aws.client("events", region_name=DR)
    dr_events.put_rule(Name="verify", EventBusName=DR_BUS, EventPattern=json.dumps({"source": [{"prefix": ""}]}))
    dr_events.put_targets(Rule="verify", EventBusName=DR_BUS, Targets=[{"Id": "q", "Arn": queue_arn}])
    run_module(eventbridge_rule, args())

    for source in ("healthcare.application", "someone.else"):
        events.put_events(Entries=[{"Source": source, "DetailType": "t", "Detail": "{}", "EventBusName": BUS}])
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"])["source"] for m in messages] == ["healthcare.application"]


def test_target_input_compared_as_json(events, run_module):
    target = {"id": "q", "arn": DLQ_ARN, "input": json.dumps({"a": 1, "b": [1, 2]})}
    run_module(eventbridge_rule, args(targets=[target]))
    same = dict(target, input=json.dumps({"b": [1, 2], "a": 1}))
    assert run_module(eventbridge_rule, args(targets=[same]))["changed"] is False
    other = dict(target, input=json.dumps({"a": 2, "b": [1, 2]}))
    assert run_module(eventbridge_rule, args(targets=[other]))["changed"] is True


def test_absent_reports_diff(events, run_module):
    run_module(eventbridge_rule, args())
    absent = {"name": RULE, "event_bus_name": BUS, "region": PRIMARY, "state": "absent"}
    result = run_module(eventbridge_rule, absent, diff=True)
    assert result["diff"]["before"]["rule"]["name"] == RULE
    assert result["diff"]["before"]["targets"][0]["id"] == "dr-bus"
    assert result["diff"]["after"] == {"rule": {}, "targets": []}
