"""playbooks/failover.yml checks the inputs of every role it uses, and only those, before touching AWS.

A failover runs while a region is down, so its pre-flight checks only what can make
it fail: the roles whose tasks it runs (directly or through playbooks/tasks/*.yml).
The checks themselves are tests/integration/test_preflight.py's, through site.yml.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PLAYBOOKS = Path(__file__).resolve().parents[3] / "playbooks"
ROLE = re.compile(r"\bhealthcare\.dr\.(\w+)$")


def _roles_used(path: Path, seen: set[Path] | None = None) -> set[str]:
    """The collection's roles a playbook or task file runs, following its include_tasks of playbooks/tasks."""
    seen = seen or set()
    seen.add(path)
    roles: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "name" and isinstance(value, str) and ROLE.search(value):
                    roles.add(ROLE.search(value).group(1))
                if key == "ansible.builtin.include_tasks" and isinstance(value, str):
                    included = (path.parent / value).resolve()
                    if included not in seen and included.is_relative_to(PLAYBOOKS):
                        roles.update(_roles_used(included, seen))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load(path.read_text()))
    return roles


def _checked_roles() -> list[str]:
    plays = yaml.safe_load((PLAYBOOKS / "failover.yml").read_text())
    (preflight,) = [p for p in plays if p.get("ansible.builtin.import_playbook") == "preflight.yml"]
    return preflight["vars"]["__dr_preflight_roles"]


def test_the_failover_checks_the_inputs_of_every_role_it_runs():
    used = _roles_used(PLAYBOOKS / "failover.yml")
    assert used == {"aurora", "lambda_alb", "dns_failover"}, used
    assert set(_checked_roles()) == used


def test_each_checked_role_is_one_the_full_preflight_knows():
    plays = yaml.safe_load((PLAYBOOKS / "preflight.yml").read_text())
    (inputs,) = [p for p in plays if p["name"] == "Check every role's inputs before touching AWS"]
    assert set(_checked_roles()) < set(inputs["vars"]["__dr_preflight_roles"])
