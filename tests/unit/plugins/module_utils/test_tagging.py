"""module_utils.tagging: one tag synchronisation for every module (compare, predict, write, check mode)."""

from __future__ import annotations

import botocore.exceptions
import pytest

from ansible_collections.healthcare.dr.plugins.module_utils.tagging import ec2_tag_writers
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import sync_tags
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import tag_changes
from ansible_collections.healthcare.dr.plugins.module_utils.tagging import tags_after


class Recorder:
    """set_tags and unset_tags that record their calls, in order."""

    def __init__(self):
        self.calls = []

    def set_tags(self, tags):
        self.calls.append(("set", dict(tags)))

    def unset_tags(self, keys):
        self.calls.append(("unset", list(keys)))


CURRENT = {"Name": "a", "Old": "x", "aws:cloudformation:stack-name": "s"}


def test_none_leaves_tags_alone():
    assert tag_changes(CURRENT, None, True) == ({}, [])
    assert tags_after(CURRENT, None, True) == CURRENT


def test_purge_removes_unlisted_keys_but_never_aws_ones():
    to_set, to_unset = tag_changes(CURRENT, {"Name": "b"}, True)
    assert to_set == {"Name": "b"}
    assert to_unset == ["Old"]
    assert tags_after(CURRENT, {"Name": "b"}, True) == {"Name": "b", "aws:cloudformation:stack-name": "s"}


def test_without_purge_only_sets():
    assert tag_changes(CURRENT, {"New": "1"}, False) == ({"New": "1"}, [])
    assert tags_after(CURRENT, {"New": "1"}, False) == dict(CURRENT, New="1")


def test_sync_unsets_then_sets_and_reports_a_change(fake_module):
    recorder = Recorder()
    changed = sync_tags(fake_module(), CURRENT, {"Name": "b"}, True, recorder.set_tags, recorder.unset_tags, "boom")
    assert changed is True
    assert recorder.calls == [("unset", ["Old"]), ("set", {"Name": "b"})]


def test_sync_with_nothing_to_do_makes_no_call(fake_module):
    recorder = Recorder()
    wanted = {"Name": "a", "Old": "x"}
    assert sync_tags(fake_module(), CURRENT, wanted, True, recorder.set_tags, recorder.unset_tags, "boom") is False
    assert recorder.calls == []


def test_sync_in_check_mode_reports_the_change_and_writes_nothing(fake_module):
    recorder = Recorder()
    module = fake_module(check_mode=True)
    assert sync_tags(module, CURRENT, {"Name": "b"}, True, recorder.set_tags, recorder.unset_tags, "boom") is True
    assert recorder.calls == []


def test_sync_fails_with_the_message_on_an_aws_error(fake_module):
    def refuse(_tags):
        raise botocore.exceptions.ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "TagResource")

    module = fake_module()
    with pytest.raises(Exception):
        sync_tags(module, {}, {"Name": "b"}, True, refuse, Recorder().unset_tags, "Couldn't tag thing-1")
    assert module.failure[1] == "Couldn't tag thing-1"


def test_ec2_tag_writers_tag_an_ec2_resource(aws, fake_module):
    ec2 = aws.client("ec2", region_name="us-east-1")
    vpc_id = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc_id], Tags=[{"Key": "Old", "Value": "x"}])

    class Retrying:
        """The client as AWSRetry's decorator leaves it: it accepts ``aws_retry``."""

        def __getattr__(self, name):
            method = getattr(ec2, name)
            return lambda aws_retry=False, **kwargs: method(**kwargs)

    set_tags, unset_tags = ec2_tag_writers(Retrying(), vpc_id)
    assert sync_tags(fake_module(), {"Old": "x"}, {"Name": "v"}, True, set_tags, unset_tags, "boom") is True
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"Name": "v"}
