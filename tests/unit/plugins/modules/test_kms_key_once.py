"""kms_key_once: a KMS key and its alias made exactly once, even when CreateKey's answer is lost."""

from __future__ import annotations

import botocore.exceptions
import pytest

from ansible_collections.healthcare.dr.plugins.modules import kms_key_once as module

REGION = "us-east-1"
ALIAS = "alias/kms-aurora-us-east-1-dev"
NAME = "kms-aurora-us-east-1-dev"
ARGS = dict(region=REGION, alias=ALIAS, tags={"Project": "healthcare-dr"})


@pytest.fixture
def kms(aws):
    return aws.client("kms", region_name=REGION)


def customer_keys(kms) -> list[dict]:
    keys = [kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"] for key in kms.list_keys()["Keys"]]
    return [key for key in keys if key["KeyManager"] == "CUSTOMER"]


def tags(kms, key_id: str) -> dict:
    return {tag["TagKey"]: tag["TagValue"] for tag in kms.list_resource_tags(KeyId=key_id)["Tags"]}


def test_an_empty_region_gets_the_key_with_its_name_and_tags_and_the_alias(run_module, kms):
    result = run_module(module, ARGS)

    assert result["changed"] is True
    assert result["made"] == ["key", "alias"]
    [key] = customer_keys(kms)
    assert result["key_arn"] == key["Arn"]
    assert tags(kms, key["KeyId"]) == {"Project": "healthcare-dr", "Name": NAME}
    assert kms.describe_key(KeyId=ALIAS)["KeyMetadata"]["KeyId"] == key["KeyId"]


def test_a_second_run_finds_the_key_by_its_alias_and_changes_nothing(run_module, kms):
    first = run_module(module, ARGS)

    again = run_module(module, ARGS)

    assert again["changed"] is False
    assert again["made"] == []
    assert again["key_arn"] == first["key_arn"]
    assert len(customer_keys(kms)) == 1


def test_a_key_made_without_its_alias_gets_the_alias_and_no_second_key(run_module, kms):
    """What a lost CreateKey answer in an earlier run leaves: the key, tagged, and no alias."""
    made = kms.create_key(Tags=[{"TagKey": "Name", "TagValue": NAME}])["KeyMetadata"]

    result = run_module(module, ARGS)

    assert result["changed"] is True
    assert result["made"] == ["alias"]
    assert result["key_id"] == made["KeyId"]
    assert [key["KeyId"] for key in customer_keys(kms)] == [made["KeyId"]]


def test_a_key_pending_deletion_without_its_alias_is_not_taken_back(run_module, kms):
    old = kms.create_key(Tags=[{"TagKey": "Name", "TagValue": NAME}])["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=old["KeyId"], PendingWindowInDays=7)

    result = run_module(module, ARGS)

    assert result["made"] == ["key", "alias"]
    assert result["key_id"] != old["KeyId"]


def test_an_alias_naming_a_key_pending_deletion_is_left_for_kms_key_to_cancel(run_module, kms):
    """destroy schedules the key's deletion and keeps its alias; the next deploy takes the key back."""
    first = run_module(module, ARGS)
    kms.schedule_key_deletion(KeyId=first["key_id"], PendingWindowInDays=7)

    again = run_module(module, ARGS)

    assert again["changed"] is False
    assert again["key_id"] == first["key_id"]
    assert len(customer_keys(kms)) == 1


def test_check_mode_makes_nothing_and_says_what_it_would_make(run_module, kms):
    result = run_module(module, ARGS, check_mode=True, diff=True)

    assert result["changed"] is True
    assert result["made"] == ["key", "alias"]
    assert result["diff"] == {"before": {"alias": None}, "after": {"alias": ALIAS}}
    assert customer_keys(kms) == []


class LosesFirstAnswer:
    """A single-attempt KMS client whose first call of ``operation`` is applied and its answer lost."""

    def __init__(self, client, operation: str) -> None:
        self.client, self.operation, self.lost = client, operation, False

    def __getattr__(self, name: str):
        method = getattr(self.client, name)
        if name != self.operation:
            return method

        def call(**kwargs):
            answer = method(**kwargs)
            if not self.lost:
                self.lost = True
                raise botocore.exceptions.ConnectionClosedError(endpoint_url="https://kms.us-east-1.amazonaws.com")
            return answer

        return call


@pytest.mark.parametrize("operation", ["create_key", "create_alias"])
def test_a_lost_answer_makes_no_second_key(run_module, kms, monkeypatch, operation):
    single = module.single_attempt_client
    monkeypatch.setattr(module, "single_attempt_client", lambda *a, **k: LosesFirstAnswer(single(*a, **k), operation))

    result = run_module(module, ARGS)

    assert result["changed"] is True, result
    [key] = customer_keys(kms)
    assert result["key_id"] == key["KeyId"]
    assert kms.describe_key(KeyId=ALIAS)["KeyMetadata"]["KeyId"] == key["KeyId"]


def test_the_key_the_alias_names_wins_over_a_key_only_tagged_with_the_name(run_module, kms):
    other = kms.create_key()["KeyMetadata"]
    kms.create_key(Tags=[{"TagKey": "Name", "TagValue": NAME}])
    kms.create_alias(AliasName=ALIAS, TargetKeyId=other["KeyId"])

    result = run_module(module, ARGS)

    # The alias names a key already: it is that key, whatever other key carries the Name.
    assert result["changed"] is False
    assert result["key_id"] == other["KeyId"]
