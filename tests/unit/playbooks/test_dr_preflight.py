"""The DR playbooks check the inputs of every role they use, and only those, before touching AWS.

A switchover, failover or rejoin runs during an incident, and dr_status.yml before
each switchover: their pre-flight checks only what can make them fail, the roles
whose tasks they run (directly, through playbooks/tasks/*.yml or through a
playbook they import). The checks themselves are tests/integration/test_preflight.py's,
through site.yml.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

PLAYBOOKS = Path(__file__).resolve().parents[3] / "playbooks"
ROLE = re.compile(r"\bhealthcare\.dr\.(\w+)$")
IMPORT = "ansible.builtin.import_playbook"
EXPECTED = {
    "dr_status.yml": {"aurora"},
    "switchover.yml": {"aurora", "lambda_alb", "dns_failover", "monitoring"},
    "failover.yml": {"aurora", "lambda_alb", "dns_failover"},
    "rejoin.yml": {"aurora", "lambda_alb", "dns_failover", "monitoring"},
    "dr_drill.yml": {"aurora", "lambda_alb", "dns_failover", "monitoring"},
}


def _roles_used(path: Path, seen: set[Path] | None = None) -> set[str]:
    """The collection's roles a playbook or task file runs, following its include_tasks and import_tasks of
    playbooks/tasks and its import_playbook of the DR playbooks (preflight.yml is the checks themselves)."""
    seen = seen or set()
    seen.add(path)
    roles: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("name", "role") and isinstance(value, str) and ROLE.search(value):
                    roles.add(ROLE.search(value).group(1))
                if key in ("ansible.builtin.include_tasks", "ansible.builtin.import_tasks", IMPORT) and isinstance(value, str):
                    included = (path.parent / value).resolve()
                    if included not in seen and included.is_relative_to(PLAYBOOKS) and included.name != "preflight.yml":
                        roles.update(_roles_used(included, seen))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(path.read_text()))
    return roles


def _checked_roles(playbook: str) -> list[str]:
    """The roles preflight.yml checks when ``playbook`` runs: set where ``playbook`` imports preflight.yml, or
    imports a playbook that does (the outer import's vars win, as ansible-core merges them)."""
    plays = yaml.safe_load((PLAYBOOKS / playbook).read_text())
    (imported,) = [p for p in plays if p.get(IMPORT) in ("preflight.yml", *EXPECTED)]
    return imported["vars"]["__dr_preflight_roles"]


@pytest.mark.parametrize("playbook", sorted(EXPECTED))
def test_each_dr_playbook_checks_the_inputs_of_every_role_it_runs(playbook):
    used = _roles_used(PLAYBOOKS / playbook)
    assert used == EXPECTED[playbook], used
    assert set(_checked_roles(playbook)) == used


def test_each_checked_role_is_one_the_full_preflight_knows():
    plays = yaml.safe_load((PLAYBOOKS / "preflight.yml").read_text())
    (inputs,) = [p for p in plays if p["name"] == "Check every role's inputs before touching AWS"]
    for playbook in EXPECTED:
        assert set(_checked_roles(playbook)) < set(inputs["vars"]["__dr_preflight_roles"]), playbook
