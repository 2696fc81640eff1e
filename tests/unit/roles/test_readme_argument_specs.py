"""Each role's README agrees with its meta/argument_specs.yml and defaults/main.yml.

The README's "Variables" table is what users read; argument_specs is what Ansible
enforces and ansible-doc shows. Checked for every role found under roles/:

- every option named after the role (``<role>_*``) in any entry point is in the table,
  and every variable in the table is an option of some entry point;
- the table's default is the spec's default (``unset`` or an empty cell: none), and the
  spec's default is the value in defaults/main.yml;
- the README has an example that calls the role by its FQCN, and the role variables
  its examples set are options of the role.

Table cells may group names: ``a_b_period`` / ``_evaluation_periods`` stands for
``a_b_period`` and ``a_b_evaluation_periods`` (the last word of the first name is
replaced), with defaults ``60`` / ``2`` in the same order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
ROLES = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "tasks").is_dir())
NO_DEFAULT = object()


def section(text: str, title: str) -> str:
    match = re.search(rf"^##\s+{title}\b.*?$(.*?)(?=^##\s|\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


def parse_default(cell: str):
    cell = cell.strip()
    if not cell or cell.lower().startswith("unset"):
        return NO_DEFAULT
    if cell.startswith('""') or cell.startswith("''"):
        return ""
    match = re.match(r"`([^`]*)`", cell)
    return match.group(1) if match else cell


def readme_variables(role: str) -> dict[str, object]:
    """Variable -> default text (or NO_DEFAULT) from the README's Variables tables."""
    text = (ROOT / "roles" / role / "README.md").read_text()
    table = section(text, "Variables")
    assert table, f"roles/{role}/README.md has no '## Variables' section"
    found: dict[str, object] = {}
    for line in table.splitlines():
        # Markdown tables escape a pipe inside a cell as \|.
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if not line.startswith("|") or not cells[0].startswith("`"):
            continue
        full: list[str] = []
        for name in re.findall(r"`([^`]+)`", cells[0]):
            if name.startswith("_") and full:
                name = full[0].rsplit("_", 1)[0] + name
            full.append(name)
        defaults_cell = cells[1] if len(cells) > 1 else ""
        parts = re.split(r"\s+/\s+", defaults_cell) if len(full) > 1 else [defaults_cell]
        if len(parts) != len(full):
            parts = [defaults_cell] * len(full)
        for name, part in zip(full, parts):
            found[name] = parse_default(part)
    return found


def spec_options(role: str) -> dict[str, object]:
    specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())
    options: dict[str, object] = {}
    for entry in specs["argument_specs"].values():
        for name, option in (entry.get("options") or {}).items():
            options[name] = option.get("default", NO_DEFAULT)
    return options


def role_defaults(role: str) -> dict:
    path = ROOT / "roles" / role / "defaults" / "main.yml"
    return (yaml.safe_load(path.read_text()) or {}) if path.exists() else {}


def same_value(readme, spec) -> bool:
    if readme is NO_DEFAULT or spec is NO_DEFAULT:
        return (readme is NO_DEFAULT) == (spec is NO_DEFAULT or spec is None)
    if isinstance(spec, str) and readme == spec:
        return True
    try:
        loaded = yaml.safe_load(readme)
    except yaml.YAMLError:
        return False
    if isinstance(spec, str) and not isinstance(loaded, str):
        return str(loaded) == spec
    return loaded == spec


@pytest.mark.parametrize("role", ROLES)
def test_role_has_specs_and_readme(role):
    assert (ROOT / "roles" / role / "meta" / "argument_specs.yml").exists(), f"{role}: no meta/argument_specs.yml"
    assert (ROOT / "roles" / role / "README.md").exists(), f"{role}: no README.md"


@pytest.mark.parametrize("role", ROLES)
def test_readme_lists_every_role_option(role):
    documented = readme_variables(role)
    options = spec_options(role)
    own = {name for name in options if name.startswith(f"{role}_")}
    assert sorted(own - documented.keys()) == [], f"{role}: options missing from the README's Variables table"
    assert sorted(documented.keys() - options.keys()) == [], f"{role}: README variables that no entry point accepts"


@pytest.mark.parametrize("role", ROLES)
def test_readme_defaults_match_specs(role):
    documented = readme_variables(role)
    options = spec_options(role)
    wrong = {name: (documented[name], options[name]) for name in documented.keys() & options.keys()
             if not same_value(documented[name], options[name])}
    assert wrong == {}, f"{role}: README default vs argument_specs default"


@pytest.mark.parametrize("role", ROLES)
def test_spec_defaults_match_role_defaults(role):
    defaults = role_defaults(role)
    options = spec_options(role)
    wrong = {name: (default, defaults[name]) for name, default in options.items()
             if default is not NO_DEFAULT and name in defaults and default != defaults[name]}
    missing = sorted(name for name, default in options.items() if default is not NO_DEFAULT and name not in defaults)
    assert wrong == {}, f"{role}: argument_specs default vs defaults/main.yml"
    assert missing == [], f"{role}: argument_specs defaults that defaults/main.yml does not set"


def example_role_vars(node, role: str, found: set[str], calls: list[int]) -> None:
    """Collect the variables set where the examples call healthcare.dr.<role>."""
    fqcn = f"healthcare.dr.{role}"
    if isinstance(node, list):
        for item in node:
            example_role_vars(item, role, found, calls)
    elif isinstance(node, dict):
        target = node.get("role") or node.get("name")
        for key in ("ansible.builtin.include_role", "ansible.builtin.import_role", "include_role", "import_role"):
            if isinstance(node.get(key), dict):
                target = node[key].get("name")
        if target == fqcn or node.get("role") == fqcn:
            calls.append(1)
            found.update(k for k in (node.get("vars") or {}) if k.startswith(f"{role}_"))
        for key, value in node.items():
            if key == "roles" and isinstance(value, list):
                for item in value:
                    if item == fqcn:
                        calls.append(1)
            example_role_vars(value, role, found, calls)


@pytest.mark.parametrize("role", ROLES)
def test_readme_examples_call_the_role_with_its_options(role):
    text = (ROOT / "roles" / role / "README.md").read_text()
    blocks = re.findall(r"```ya?ml\n(.*?)```", text, re.S)
    assert blocks, f"{role}: README has no YAML example"
    found: set[str] = set()
    calls: list[int] = []
    for block in blocks:
        example_role_vars(yaml.safe_load(block), role, found, calls)
    assert calls, f"{role}: no README example calls healthcare.dr.{role}"
    assert sorted(found - spec_options(role).keys()) == [], f"{role}: examples set variables the role does not accept"
