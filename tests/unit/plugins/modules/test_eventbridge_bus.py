"""eventbridge_bus: bus lifecycle, policy compared semantically, tags, check mode, diff."""

from __future__ import annotations

import json

import pytest

from ansible_collections.healthcare.dr.plugins.modules import eventbridge_bus

REGION = "us-west-2"
BUS = "events-bus-us-west-2-dev"
ACCOUNT = "123456789012"  # moto's default account


def bus_arn(name: str = BUS) -> str:
    return f"arn:aws:events:{REGION}:{ACCOUNT}:event-bus/{name}"


def dr_policy(principal: str = f"arn:aws:iam::{ACCOUNT}:root", sid: str = "AllowPrimaryAccountPutEvents") -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": sid,
                "Effect": "Allow",
                "Principal": {"AWS": principal},
                "Action": "events:PutEvents",
                "Resource": bus_arn(),
                "Condition": {"StringEquals": {"events:source": "healthcare.application"}},
            }
        ],
    }


@pytest.fixture
def events(aws):
    return aws.client("events", region_name=REGION)


def args(**extra):
    return dict({"name": BUS, "region": REGION}, **extra)


def test_creates_bus_with_tags(events, run_module):
    result = run_module(eventbridge_bus, args(tags={"Project": "dr"}))
    assert result["changed"] is True
    assert result["event_bus"]["arn"] == bus_arn()
    assert result["event_bus"]["tags"] == {"Project": "dr"}
    assert events.describe_event_bus(Name=BUS)["Arn"] == bus_arn()
    tags = events.list_tags_for_resource(ResourceARN=bus_arn())["Tags"]
    assert tags == [{"Key": "Project", "Value": "dr"}]


def test_second_run_is_unchanged(events, run_module):
    run_module(eventbridge_bus, args(tags={"Project": "dr"}, policy=dr_policy()))
    result = run_module(eventbridge_bus, args(tags={"Project": "dr"}, policy=dr_policy()))
    assert result["changed"] is False


def test_check_mode_creates_nothing(events, run_module):
    result = run_module(eventbridge_bus, args(policy=dr_policy()), check_mode=True)
    assert result["changed"] is True
    assert result["event_bus"]["name"] == BUS
    assert events.list_event_buses(NamePrefix=BUS)["EventBuses"] == []


def test_sets_policy(events, run_module):
    run_module(eventbridge_bus, args())
    result = run_module(eventbridge_bus, args(policy=dr_policy()))
    assert result["changed"] is True
    stored = json.loads(events.describe_event_bus(Name=BUS)["Policy"])
    assert stored["Statement"][0]["Condition"] == {"StringEquals": {"events:source": "healthcare.application"}}
    assert stored["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}


def test_policy_compared_semantically(events, run_module):
    run_module(eventbridge_bus, args(policy=dr_policy()))
    # Same grant: account ID instead of root ARN, lists instead of scalars, keys reordered, JSON text.
    same = dr_policy(principal=ACCOUNT)
    statement = same["Statement"][0]
    statement["Action"] = ["events:PutEvents"]
    statement["Resource"] = [bus_arn()]
    same["Statement"][0] = dict(reversed(list(statement.items())))
    result = run_module(eventbridge_bus, args(policy=json.dumps(same)))
    assert result["changed"] is False


def test_policy_change_replaces_statements(events, run_module):
    run_module(eventbridge_bus, args(policy=dr_policy()))
    other = dr_policy(principal="arn:aws:iam::210987654321:root", sid="AllowOtherAccount")
    result = run_module(eventbridge_bus, args(policy=other), diff=True)
    assert result["changed"] is True
    stored = json.loads(events.describe_event_bus(Name=BUS)["Policy"])
    # The old statement is gone, not merged with the new one.
    assert [s["Sid"] for s in stored["Statement"]] == ["AllowOtherAccount"]
    assert result["diff"]["before"]["policy"]["Statement"][0]["Sid"] == "AllowPrimaryAccountPutEvents"
    assert result["diff"]["after"]["policy"]["Statement"][0]["Sid"] == "AllowOtherAccount"


def test_policy_change_in_check_mode_writes_nothing(events, run_module):
    run_module(eventbridge_bus, args(policy=dr_policy()))
    other = dr_policy(principal="arn:aws:iam::210987654321:root", sid="AllowOtherAccount")
    result = run_module(eventbridge_bus, args(policy=other), check_mode=True)
    assert result["changed"] is True
    stored = json.loads(events.describe_event_bus(Name=BUS)["Policy"])
    assert [s["Sid"] for s in stored["Statement"]] == ["AllowPrimaryAccountPutEvents"]


def test_omitted_policy_is_left_alone(events, run_module):
    run_module(eventbridge_bus, args(policy=dr_policy()))
    result = run_module(eventbridge_bus, args())
    assert result["changed"] is False
    assert "Policy" in events.describe_event_bus(Name=BUS)


def test_empty_policy_removes_it(events, run_module):
    run_module(eventbridge_bus, args(policy=dr_policy()))
    result = run_module(eventbridge_bus, args(policy={}))
    assert result["changed"] is True
    assert "Policy" not in events.describe_event_bus(Name=BUS)
    assert run_module(eventbridge_bus, args(policy={}))["changed"] is False


def test_statement_without_sid_fails(events, run_module):
    policy = dr_policy()
    del policy["Statement"][0]["Sid"]
    result = run_module(eventbridge_bus, args(policy=policy))
    assert result["failed"] is True
    assert "Sid" in result["msg"]


def test_tags_purged_and_kept(events, run_module):
    run_module(eventbridge_bus, args(tags={"Project": "dr", "Old": "x"}))
    kept = run_module(eventbridge_bus, args(tags={"Project": "dr"}, purge_tags=False))
    assert kept["changed"] is False
    purged = run_module(eventbridge_bus, args(tags={"Project": "dr"}))
    assert purged["changed"] is True
    assert events.list_tags_for_resource(ResourceARN=bus_arn())["Tags"] == [{"Key": "Project", "Value": "dr"}]


def test_absent_deletes_and_is_twice_safe(events, run_module):
    run_module(eventbridge_bus, args(policy=dr_policy()))
    check = run_module(eventbridge_bus, args(state="absent"), check_mode=True)
    assert check["changed"] is True
    assert events.list_event_buses(NamePrefix=BUS)["EventBuses"] != []
    first = run_module(eventbridge_bus, args(state="absent"))
    assert first["changed"] is True
    assert first["event_bus"] == {}
    assert events.list_event_buses(NamePrefix=BUS)["EventBuses"] == []
    assert run_module(eventbridge_bus, args(state="absent"))["changed"] is False


def test_default_bus_refused(events, run_module):
    result = run_module(eventbridge_bus, {"name": "default", "region": REGION})
    assert result["failed"] is True
