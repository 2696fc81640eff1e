"""plugins/strategy/mitogen_linear.py and module_utils/shared_botocore_loader.py, shared_boto3_clients.py: the caches Mitogen lacks.

The strategy as a whole runs every playbook of the suite (ansible.cfg selects it);
these tests pin what each cache changes and what it leaves alone.
"""

from __future__ import annotations

import ansible.collections.list
import ansible_mitogen.planner
import ansible_mitogen.services
import boto3
import boto3.session
import botocore.config
import botocore.loaders
import botocore.session
import pytest
from ansible.errors import AnsibleError

from ansible_collections.healthcare.dr.plugins.module_utils import shared_boto3_clients, shared_botocore_loader
from ansible_collections.healthcare.dr.plugins.strategy import mitogen_linear


@pytest.fixture
def fresh_botocore(monkeypatch):
    """botocore's own create_loader (conftest shares one loader for the whole run), restored afterwards."""
    monkeypatch.setattr(botocore.session, "create_loader", botocore.loaders.create_loader)


def _loader(session: boto3.session.Session):
    return session._session.get_component("data_loader")


def test_without_sharing_each_session_parses_the_models_again(fresh_botocore):
    """The cost the cache removes: botocore gives each session a loader of its own."""
    assert _loader(boto3.session.Session()) is not _loader(boto3.session.Session())


def test_shared_sessions_read_one_loader_and_its_parsed_models(fresh_botocore):
    assert shared_botocore_loader.share() is True
    assert shared_botocore_loader.share() is False  # idempotent: a second call keeps the first cache
    first, second = boto3.session.Session(), boto3.session.Session()
    assert _loader(first) is _loader(second)
    model = _loader(first).load_service_model("ec2", "service-2")
    assert _loader(second).load_service_model("ec2", "service-2") is model
    # A client of either session still works as before: the models are only read.
    client = second.client("ec2", region_name="us-west-2", aws_access_key_id="testing", aws_secret_access_key="testing")
    assert client.meta.region_name == "us-west-2" and "DescribeVpcs" in client.meta.service_model.operation_names


def test_a_different_data_path_gets_a_loader_of_its_own(fresh_botocore, tmp_path):
    shared_botocore_loader.share()
    default = boto3.session.Session()
    custom = botocore.session.Session()
    custom.set_config_variable("data_path", str(tmp_path))
    assert custom.get_component("data_loader") is not _loader(default)
    assert str(tmp_path) in custom.get_component("data_loader").search_paths


class _Invocation:
    def __init__(self):
        self._extra_sys_paths = set()


def test_collections_are_listed_once_and_every_task_gets_the_same_paths(monkeypatch):
    calls = []

    def list_collection_dirs():
        calls.append(1)
        return iter([b"/c/ansible_collections/amazon/aws", b"/c/ansible_collections/healthcare/dr"])

    monkeypatch.setattr(ansible.collections.list, "list_collection_dirs", list_collection_dirs)
    monkeypatch.setattr(ansible_mitogen.planner, "_load_collections", ansible_mitogen.planner._load_collections)
    mitogen_linear._list_collections_once()
    mitogen_linear._list_collections_once()  # a second play keeps the first list
    tasks = [_Invocation(), _Invocation()]
    for task in tasks:
        ansible_mitogen.planner._load_collections(task)
    assert len(calls) == 1
    assert all(t._extra_sys_paths == {"/c/ansible_collections/amazon/aws", "/c/ansible_collections/healthcare/dr"}
               for t in tasks)  # fmt: skip


class _Context:
    def __init__(self):
        self.calls = []

    def call(self, function, *args, **kwargs):
        self.calls.append(function)


def test_each_new_warm_interpreter_is_told_to_share_its_loader_and_clients(monkeypatch):
    context = _Context()
    connected = {"context": context, "via": None, "init_child_result": {}, "msg": None}
    monkeypatch.setattr(ansible_mitogen.services.ContextService, "_connect", lambda self, key, spec, via=None: connected)
    mitogen_linear._share_boto3_in_new_contexts()
    mitogen_linear._share_boto3_in_new_contexts()  # wrapped once, not twice
    assert ansible_mitogen.services.ContextService._connect(object(), "key", {}) is connected
    assert context.calls == [shared_botocore_loader.share, shared_boto3_clients.share]


_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture
def shared_sessions(monkeypatch):
    """boto3's Session replaced by the sharing one for one test, the original restored afterwards."""
    monkeypatch.setattr(boto3.session, "Session", boto3.session.Session)
    monkeypatch.setattr(boto3, "Session", boto3.Session)
    for name in shared_boto3_clients._PLACEBO:
        monkeypatch.delenv(name, raising=False)
    assert shared_boto3_clients.share() is True
    assert shared_boto3_clients.share() is False  # idempotent: a second call keeps the first cache
    return boto3.session.Session


def test_without_sharing_each_task_builds_a_session_and_a_client():
    """The cost the cache removes: a new session, and a new client, for every module run."""
    first, second = boto3.session.Session(), boto3.session.Session()
    assert first is not second
    assert first.client("s3", region_name="us-east-1", **_KEYS) is not first.client("s3", region_name="us-east-1", **_KEYS)


def test_the_same_arguments_get_the_same_session_and_client(shared_sessions):
    assert boto3.Session is shared_sessions
    first, second = boto3.session.Session(), boto3.session.Session(profile_name=None)
    assert first is second
    config = botocore.config.Config(retries={"mode": "standard"})
    client = first.client("ec2", region_name="us-west-2", config=config, **_KEYS)
    again = second.client("ec2", region_name="us-west-2", config=botocore.config.Config(retries={"mode": "standard"}), **_KEYS)
    assert again is client
    assert client.meta.region_name == "us-west-2" and "DescribeVpcs" in client.meta.service_model.operation_names


@pytest.mark.parametrize(
    "change",
    [
        {"service_name": "s3"},
        {"region_name": "us-east-1"},
        {"endpoint_url": "http://127.0.0.1:5999"},
        {"aws_secret_access_key": "other"},
        {"aws_session_token": "token"},
        {"config": botocore.config.Config(retries={"mode": "legacy"})},
        {"verify": False},
    ],
    ids=lambda change: next(iter(change)),
)
def test_any_other_client_argument_gets_a_client_of_its_own(shared_sessions, change):
    session = boto3.session.Session()
    arguments = {"service_name": "ec2", "region_name": "us-west-2", "config": botocore.config.Config(retries={"mode": "standard"}), **_KEYS}
    client = session.client(**arguments)
    other = session.client(**{**arguments, **change})
    assert other is not client
    assert session.client(**arguments) is client  # the first one is still kept


def test_a_changed_aws_environment_or_profile_gets_a_session_of_its_own(shared_sessions, monkeypatch):
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    east = boto3.session.Session()
    assert east.client("s3", **_KEYS).meta.region_name == "us-east-1"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")  # as a task's environment: would set it
    west = boto3.session.Session()
    assert west is not east and west.client("s3", **_KEYS).meta.region_name == "us-west-2"
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    assert boto3.session.Session() is east
    monkeypatch.setenv("HOME", "/elsewhere")  # not an AWS_/BOTO_ variable: the same session
    assert boto3.session.Session() is east


@pytest.mark.parametrize(
    "arguments",
    [{"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}, {"region_name": "us-west-2"}],
    ids=["credentials", "region"],
)
def test_sessions_given_more_than_a_profile_are_never_shared(shared_sessions, arguments):
    first, second = boto3.session.Session(**arguments), boto3.session.Session(**arguments)
    assert first is not second
    assert first.client("s3", region_name="us-east-1") is not first.client("s3", region_name="us-east-1")


def test_placebo_recording_gets_new_sessions_to_attach_to(shared_sessions, monkeypatch):
    monkeypatch.setenv("_ANSIBLE_PLACEBO_REPLAY", "/tmp/recording")
    assert boto3.session.Session() is not boto3.session.Session()


def test_without_mitogen_the_strategy_says_what_to_install(monkeypatch):
    monkeypatch.setattr(mitogen_linear, "MITOGEN_IMPORT_ERROR", ImportError("No module named 'ansible_mitogen'"))
    with pytest.raises(AnsibleError, match=r"needs the mitogen package .*or choose strategy=linear"):
        mitogen_linear.StrategyModule(tqm=None)


def test_no_process_of_the_run_is_pinned_to_a_cpu(monkeypatch):
    """Mitogen's own policy on two CPUs pins the strategy, every worker and every warm interpreter to CPU 1."""
    import os

    import ansible_mitogen.affinity

    pinning = ansible_mitogen.affinity.FixedPolicy(cpu_count=2)
    monkeypatch.setattr(ansible_mitogen.affinity, "policy", pinning)
    mitogen_linear._schedule_freely()
    policy = ansible_mitogen.affinity.policy
    assert isinstance(policy, ansible_mitogen.affinity.Policy) and not isinstance(policy, ansible_mitogen.affinity.FixedPolicy)
    before = os.sched_getaffinity(0)
    policy.assign_controller()
    policy.assign_worker()
    policy.assign_muxprocess(0)
    assert os.sched_getaffinity(0) == before
    mitogen_linear._schedule_freely()  # a second play keeps the policy
    assert ansible_mitogen.affinity.policy is policy


# Run in a fresh interpreter: this test process has imported filter plugins already.
_LOOKUPS = """
import sys
from pathlib import Path
from ansible.plugins.loader import PluginLoader, filter_loader, init_plugin_loader, test_loader
init_plugin_loader([sys.argv[1]])
from ansible_collections.healthcare.dr.plugins.strategy import mitogen_linear
if sys.argv[2] == "warm":
    mitogen_linear._import_jinja_plugins_once()
executed = []
load = PluginLoader._load_module_source
def recording(self, *, python_module_name, path):
    if python_module_name not in sys.modules:
        executed.append(python_module_name)
    return load(self, python_module_name=python_module_name, path=path)
PluginLoader._load_module_source = recording
filter_loader.get("healthcare.dr.stack_names")
filter_loader.get("to_json")
test_loader.get("healthcare.dr.ipv4_cidr")
print(" ".join(executed))
"""


@pytest.mark.parametrize("state", ["cold", "warm"])
def test_a_worker_looks_up_filters_and_tests_without_importing_any_plugin(state):
    """What a task's worker does for its templates, in a process forked before (cold) or after (warm) the strategy
    imported the Jinja plugins. Cold, a lookup of one of this collection's filters imports every filter file named
    before it, the drill report's among them."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]  # holds ansible_collections/healthcare/dr
    lookups = subprocess.run([sys.executable, "-c", _LOOKUPS, str(root), state], capture_output=True, text=True, check=True)
    executed = lookups.stdout.split()
    if state == "cold":
        assert "ansible_collections.healthcare.dr.plugins.filter.dr_drill_report" in executed
        assert any(name.startswith("ansible.plugins.filter.core") for name in executed), executed
    else:
        assert executed == []
