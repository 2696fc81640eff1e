"""The roles' public API: what the playbooks and scenarios may call and read of a role.

A playbook (playbooks/, molecule/) calls a role only through an entry point the role
declares in meta/argument_specs.yml (its ``main`` or a ``tasks_from`` named there), and
never reads a role's internal ``__<role>_`` variables: what a role hands back is a
documented fact (aurora's ``writer`` entry point sets ``dr_writer_region`` and
``aurora_global_cluster``). A role's task files and internal variables can then change
without a playbook breaking.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
ROLES = sorted(p.parent.parent.name for p in (ROOT / "roles").glob("*/meta/argument_specs.yml"))
PLAYBOOKS = sorted([*(ROOT / "playbooks").rglob("*.yml"), *(ROOT / "molecule").rglob("*.yml")])
INTERNAL = re.compile(r"\b__(" + "|".join(ROLES) + r")_\w+")
ROLE_CALLS = ("ansible.builtin.include_role", "ansible.builtin.import_role")


def _entry_points(role: str) -> set[str]:
    return set(yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"])


def _role_calls(node):
    """Every include_role / import_role argument dict under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ROLE_CALLS and isinstance(value, dict):
                yield value
            yield from _role_calls(value)
    elif isinstance(node, list):
        for item in node:
            yield from _role_calls(item)


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", PLAYBOOKS, ids=_relative)
def test_a_playbook_calls_only_declared_entry_points(path):
    for call in _role_calls(yaml.safe_load(path.read_text())):
        name, tasks_from = call.get("name", ""), call.get("tasks_from")
        if "{{" in name or tasks_from is None:
            continue  # preflight.yml's loop over roles: checked by the test below
        role = name.rsplit(".", 1)[-1]
        assert Path(tasks_from).stem in _entry_points(role), f"{_relative(path)}: {role} tasks_from {tasks_from}"


@pytest.mark.parametrize("path", PLAYBOOKS, ids=_relative)
def test_a_playbook_reads_no_roles_internal_variable(path):
    found = sorted(set(m.group(0) for m in INTERNAL.finditer(path.read_text())))
    assert found == [], f"{_relative(path)} reads {found}"


def test_every_role_the_preflight_runs_declares_its_validate_entry_point():
    """preflight.yml runs each role's validate.yml through a templated role name (the one call the test above
    cannot read) and reads its public result, ``<role>_input_check``: the pre-flight's contract with every role."""
    plays = yaml.safe_load((ROOT / "playbooks" / "preflight.yml").read_text())
    (inputs,) = [p for p in plays if p["name"] == "Check every role's inputs before touching AWS"]
    for role in inputs["vars"]["__dr_preflight_roles"]:
        assert "validate" in _entry_points(role), role
        assert f"register: {role}_input_check" in (ROOT / "roles" / role / "tasks" / "validate.yml").read_text(), role


ROLE_FILES = sorted(p for p in (ROOT / "roles").rglob("*") if p.suffix in (".yml", ".j2") and p.is_file())
# A role reaching into another's tasks folder: include_tasks "{{ role_path }}/../<role>/tasks/<file>.yml".
CROSS_ROLE_TASKS = re.compile(r"role_path\s*\}\}/\.\./(\w+)/tasks/(\w+)\.yml")


def _owner(path: Path) -> str:
    return path.relative_to(ROOT / "roles").parts[0]


@pytest.mark.parametrize("path", ROLE_FILES, ids=_relative)
def test_a_role_reads_no_other_roles_internal_variable(path):
    found = sorted({m.group(0) for m in INTERNAL.finditer(path.read_text()) if m.group(1) != _owner(path)})
    assert found == [], f"{_relative(path)} reads {found}"


@pytest.mark.parametrize("path", ROLE_FILES, ids=_relative)
def test_a_role_calls_only_declared_entry_points_of_other_roles(path):
    text = path.read_text()
    for role, tasks_file in CROSS_ROLE_TASKS.findall(text):
        assert tasks_file in _entry_points(role), f"{_relative(path)}: {role} tasks/{tasks_file}.yml"
    for call in _role_calls(yaml.safe_load(text) if path.suffix == ".yml" else None):
        role, tasks_from = call.get("name", "").rsplit(".", 1)[-1], call.get("tasks_from")
        assert tasks_from is None or Path(tasks_from).stem in _entry_points(role), f"{_relative(path)}: {role}"


def test_the_role_checks_can_fail():
    assert [m.group(0) for m in INTERNAL.finditer("{{ __aurora_cluster }} {{ __dr_x }}")] == ["__aurora_cluster"]
    assert CROSS_ROLE_TASKS.findall('"{{ role_path }}/../common/tasks/end_in_check_mode.yml"') == [
        ("common", "end_in_check_mode")
    ]
