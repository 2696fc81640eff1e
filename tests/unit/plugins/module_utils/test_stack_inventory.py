"""The one inventory of kinds (plugins/module_utils/stack_inventory.py): every kind a role makes has a
reader, every reader's kind is a role's (or a known stray), the roles are the collection's, the
patterns name real names, and tests/integration/stack.py reads exactly these kinds."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from ansible_collections.healthcare.dr.plugins.module_utils import names
from ansible_collections.healthcare.dr.plugins.module_utils import stack_inventory

ROOT = Path(__file__).resolve().parents[4]
ROLES_DIR = ROOT / "roles"


def test_the_inventory_names_every_role_that_makes_resources():
    """A role that makes resources has a destroy.yml; healthcare.dr.common makes none."""
    assert set(stack_inventory.ROLES) == {p.name for p in ROLES_DIR.iterdir() if (p / "tasks" / "destroy.yml").is_file()}


def test_every_kind_a_role_makes_has_a_reader():
    made = {kind for kinds in stack_inventory.ROLES.values() for kind in kinds}
    assert made - set(stack_inventory.KINDS) == set()


def test_every_kind_read_is_made_by_a_role_or_is_a_known_stray():
    made = {kind for kinds in stack_inventory.ROLES.values() for kind in kinds}
    assert set(stack_inventory.KINDS) - made == stack_inventory.STRAYS
    assert made & stack_inventory.STRAYS == set()
    assert stack_inventory.PAIR <= set(stack_inventory.KINDS)


@pytest.mark.parametrize("role", sorted(stack_inventory.ROLES))
def test_patterns_name_keys_of_the_name_map(role):
    known = set(names.REGIONAL) | set(names.GLOBAL) | {"account", "domain", "suffix"}
    for templates in stack_inventory.ROLES[role].values():
        for template in templates or ():
            assert set(re.findall(r"\{([a-z0-9_]+)\}", template)) <= known, template


def test_a_pattern_matches_the_names_the_roles_give():
    patterns = stack_inventory.role_patterns("aurora", "db_instance", "us-east-1", "dev")
    assert re.fullmatch(patterns[0], "aurora-instance-2-us-east-1-dev")
    assert not re.fullmatch(patterns[0], "aurora-instance-2-us-east-1-devx")
    assert stack_inventory.role_patterns("network", "vpc", "us-east-1", "dev") is None


def test_pair_wide_names_count_for_the_primary_only():
    assert stack_inventory.role_patterns("audit", "iam_role", "us-west-2", "dev", primary=False) == []
    # A regional kind's pair-wide name (the replicated secret) is looked for in each region.
    assert stack_inventory.role_patterns("aurora", "secret", "us-west-2", "dev", primary=False)
    # A pattern needing an account not given is left out.
    assert stack_inventory.role_patterns("s3", "bucket", "us-east-1", "dev") == []


def test_the_integration_inventory_reads_exactly_the_shared_kinds(aws, monkeypatch):
    """tests/integration/stack.py iterates over stack_inventory.KINDS with the shared readers: an empty
    account gives every kind, empty; a resource of no environment still shows."""
    monkeypatch.syspath_prepend(str(ROOT / "tests" / "integration"))
    sys.modules.pop("stack", None)
    import stack

    monkeypatch.setattr(stack, "client", lambda endpoint, service, region="us-east-1": aws.client(service, region_name=region))
    aws.client("sqs", region_name="us-west-2").create_queue(QueueName="stray")

    found = stack.inventory("http://unused")

    assert set(found) == set(stack_inventory.KINDS)
    assert stack.non_empty(found) == {"sqs_queue": ["us-west-2/stray"]}


@pytest.mark.parametrize("role", sorted(stack_inventory.ROLES))
def test_each_role_checks_its_kinds_in_a_declared_verify_absent(role):
    import yaml

    specs = yaml.safe_load((ROLES_DIR / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    assert "verify_absent" in specs
    tasks = yaml.safe_load((ROLES_DIR / role / "tasks" / "verify_absent.yml").read_text())
    assert tasks[0]["healthcare.dr.stack_resources_info"]["roles"] == [role]


def test_destroys_last_check_runs_every_roles_verify_absent():
    import yaml

    plays = yaml.safe_load((ROOT / "playbooks" / "destroy.yml").read_text())
    last = plays[-1]
    assert last["name"] == "Check that nothing of the stack is left"
    (check,) = last["tasks"]
    assert check["ansible.builtin.include_role"]["tasks_from"] == "verify_absent"
    assert sorted(check["loop"]) == sorted(stack_inventory.ROLES)
