"""config_recording driven through moto: recorder, delivery channel and
recording made in AWS's order, kept on a second run, changed where asked,
check mode, and removed in reverse order."""

from __future__ import annotations

from ansible_collections.healthcare.dr.plugins.modules import config_recording

REGION = "us-east-1"
ROLE = "arn:aws:iam::123456789012:role/iam-config-global-dev"
ARGS = {
    "region": REGION,
    "name": "config-recorder-us-east-1-dev",
    "role_arn": ROLE,
    "include_global_resource_types": True,
    "delivery_channel_name": "config-channel-us-east-1-dev",
    "s3_bucket": "s3-audit-global-dev-123456789012",
    "s3_prefix": "config",
    "delivery_frequency": "TwentyFour_Hours",
}


def state(aws):
    config = aws.client("config", region_name=REGION)
    return {
        "recorders": config.describe_configuration_recorders()["ConfigurationRecorders"],
        "channels": config.describe_delivery_channels()["DeliveryChannels"],
        "status": config.describe_configuration_recorder_status()["ConfigurationRecordersStatus"],
    }


def test_makes_the_recorder_and_channel_and_starts_recording(aws, run_module):
    result = run_module(config_recording, ARGS)

    assert result["changed"] is True
    assert result["recording"] is True
    found = state(aws)
    assert found["recorders"][0]["roleARN"] == ROLE
    assert found["recorders"][0]["recordingGroup"]["includeGlobalResourceTypes"] is True
    assert found["channels"][0]["s3BucketName"] == ARGS["s3_bucket"]
    assert found["channels"][0]["configSnapshotDeliveryProperties"] == {"deliveryFrequency": "TwentyFour_Hours"}
    assert found["status"][0]["recording"] is True


def test_second_run_is_not_changed(aws, run_module):
    run_module(config_recording, ARGS)

    assert run_module(config_recording, ARGS)["changed"] is False


def test_a_changed_prefix_updates_only_the_channel(aws, run_module):
    run_module(config_recording, ARGS)
    result = run_module(config_recording, dict(ARGS, s3_prefix="config2"))

    assert result["changed"] is True
    assert state(aws)["channels"][0]["s3KeyPrefix"] == "config2"
    assert state(aws)["status"][0]["recording"] is True


def test_recording_false_stops_the_recorder(aws, run_module):
    run_module(config_recording, ARGS)
    result = run_module(config_recording, dict(ARGS, recording=False))

    assert result["changed"] is True
    assert state(aws)["status"][0]["recording"] is False


def test_check_mode_writes_nothing(aws, run_module):
    result = run_module(config_recording, ARGS, check_mode=True)

    assert result["changed"] is True
    assert state(aws)["recorders"] == []


def test_absent_stops_and_deletes_in_reverse_order_and_twice_is_not_changed(aws, run_module):
    run_module(config_recording, ARGS)
    absent = {"region": REGION, "name": ARGS["name"], "delivery_channel_name": ARGS["delivery_channel_name"], "state": "absent"}

    assert run_module(config_recording, absent, check_mode=True)["changed"] is True
    assert state(aws)["recorders"] != []
    assert run_module(config_recording, absent)["changed"] is True
    assert state(aws)["recorders"] == [] and state(aws)["channels"] == []
    assert run_module(config_recording, absent)["changed"] is False


def test_present_needs_a_role_and_a_bucket(aws, run_module):
    result = run_module(config_recording, {"region": REGION, "name": "x"})

    assert result["failed"] is True
    assert "role_arn" in result["msg"]
