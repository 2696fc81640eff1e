"""The ``healthcare.dr.aws`` action group (meta/runtime.yml) names every AWS module the collection calls.

Every play passes its endpoint, region, credentials and retries through
``module_defaults: group/healthcare.dr.aws``, so a module missing from the group would
run without them: against the default AWS endpoint, with whatever credentials the
machine has. The group lists its members by name (not ``extend_group`` of all of
amazon.aws and community.aws, which ansible-core resolves member by member for every
play it loads); these tests keep that list complete and true.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

import ansible_collections.amazon.aws
import ansible_collections.community.aws

ROOT = Path(__file__).resolve().parents[2]
GROUP = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text())["action_groups"]["aws"]
# This collection's modules that talk to AWS (reproducible_zip builds a file locally).
OWN_MODULES = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if "AnsibleAWSModule" in p.read_text())
COLLECTIONS = {
    "amazon.aws": Path(next(iter(ansible_collections.amazon.aws.__path__))),
    "community.aws": Path(next(iter(ansible_collections.community.aws.__path__))),
}
# Where tasks live: roles' task and handler files, the playbooks, the molecule scenarios.
TASK_FILES = sorted(
    [*ROOT.glob("roles/*/tasks/**/*.yml"), *ROOT.glob("roles/*/handlers/*.yml"), *ROOT.glob("playbooks/**/*.yml"),
     *ROOT.glob("molecule/**/*.yml")]
)  # fmt: skip
TASK_LISTS = ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always")


def _tasks(node):
    """Every task dict in a task file or playbook, nested blocks included."""
    if isinstance(node, list):
        for item in node:
            yield from _tasks(item)
    elif isinstance(node, dict):
        if not any(key in node for key in ("hosts", "import_playbook", "ansible.builtin.import_playbook")):
            yield node
        for key in TASK_LISTS:
            yield from _tasks(node.get(key))


@functools.cache
def _aws_actions() -> dict[str, set[str]]:
    """Each amazon.aws, community.aws and healthcare.dr module a task calls, with the files that call it."""
    found: dict[str, set[str]] = {}
    for path in TASK_FILES:
        data = yaml.safe_load(path.read_text())
        for task in _tasks(data):
            for key in task:
                if key.startswith(("amazon.aws.", "community.aws.", "healthcare.dr.")) and key.count(".") == 2:
                    found.setdefault(key, set()).add(str(path.relative_to(ROOT)))
    # Of this collection, the modules that talk to AWS (a role's name is never a task's action).
    return {k: v for k, v in found.items() if not k.startswith("healthcare.dr.") or k.split(".")[2] in OWN_MODULES}


def test_the_tasks_are_read():
    """The walk finds modules of all three collections, so the tests below can fail."""
    prefixes = {name.rsplit(".", 1)[0] for name in _aws_actions()}
    assert prefixes == {"amazon.aws", "community.aws", "healthcare.dr"}, prefixes


def test_every_module_of_this_collection_is_in_the_group():
    assert sorted(set(OWN_MODULES) - set(GROUP)) == []


@pytest.mark.parametrize("action", sorted(_aws_actions()))
def test_every_aws_module_a_task_calls_is_in_the_group(action):
    collection, name = action.rsplit(".", 1)
    member = name if collection == "healthcare.dr" else action
    assert member in GROUP, f"{action} (called in {sorted(_aws_actions()[action])}) is not in meta/runtime.yml's aws group"


@pytest.mark.parametrize("member", [m for m in GROUP if "." in m])
def test_each_member_is_a_module_that_exists_and_a_task_calls(member):
    collection, name = member.rsplit(".", 1)
    assert (COLLECTIONS[collection] / "plugins" / "modules" / f"{name}.py").is_file(), member
    assert member in _aws_actions(), f"{member} is in the group but no task calls it"
