"""Each resource name of the stack is made in one place: plugins/module_utils/names.py.

Roles, playbooks and molecule scenarios read the name map (``dr_names``,
``dr_peer_names``, ``region | healthcare.dr.stack_names(suffix)``); none calls the
``resource_name`` or ``elb_name`` filters or joins a name from its parts in Jinja, so
renaming a resource is one line of names.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ansible_collections.healthcare.dr.plugins.module_utils.names import GLOBAL, REGIONAL

ROOT = Path(__file__).resolve().parents[3]
FILES = sorted(
    path
    for top in ("roles", "playbooks", "molecule")
    for path in (ROOT / top).rglob("*")
    if path.suffix in (".yml", ".yaml", ".j2") and path.is_file()
)

CALL = re.compile(r"\bresource_name\(|\belb_name\b")
SERVICES = "|".join(sorted({service for service, _purpose in [*REGIONAL.values(), *GLOBAL.values()]}, key=len, reverse=True))
BUILT = {
    # "sns-alarms-global-{{ dr_environment_suffix }}", "waf-app-{{ dr_region }}"
    "a part joined after a hyphen": re.compile(r"-\{\{\s*\w*(region|suffix)\s*\}\}"),
    # ... ~ '-' ~ dr_environment_suffix
    "a hyphen joined before the region or suffix": re.compile(r"~\s*'-'\s*~\s*\w*(region|suffix)\b"),
    # 'aurora-cluster-' ~ region
    "a service prefix joined to a part": re.compile(rf"'(?:{SERVICES})-[a-z0-9-]*-'\s*~"),
    # "alb-app-{{ item }}-..."
    "a service prefix before a template": re.compile(rf"\b(?:{SERVICES})-[a-z0-9-]*-\{{\{{"),
}


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _findings(path: Path) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if CALL.search(line):
            found.append(f"{number}: calls resource_name / elb_name: {line.strip()}")
        found.extend(f"{number}: builds a name ({what}): {line.strip()}" for what, rule in BUILT.items() if rule.search(line))
    return found


@pytest.mark.parametrize("path", FILES, ids=_relative)
def test_yaml_reads_names_from_the_map(path):
    assert _findings(path) == [], f"{_relative(path)}: read the name from dr_names (plugins/module_utils/names.py)"


@pytest.mark.parametrize(
    "line",
    [
        "name: \"{{ 'vpc' | healthcare.dr.resource_name('main', dr_region, dr_environment_suffix) }}\"",
        "name: \"{{ 'x' | healthcare.dr.elb_name }}\"",
        'topic: "sns-alarms-global-{{ dr_environment_suffix }}"',
        "db: \"{{ 'aurora-cluster-' ~ item }}\"",
        "fn: \"{{ 'lambda-app' ~ '-' ~ dr_region }}\"",
        'alb: "alb-app-{{ item }}-dev"',
    ],
)
def test_a_name_built_in_yaml_is_caught(tmp_path, line):
    path = tmp_path / "tasks.yml"
    path.write_text(f"- ansible.builtin.debug:\n    {line}\n")
    assert _findings(path)


def test_a_name_read_from_the_map_passes(tmp_path):
    path = tmp_path / "tasks.yml"
    path.write_text(
        '- ansible.builtin.debug:\n    msg: "{{ dr_names.aurora_instance | format(2) }} '
        "{{ (item | healthcare.dr.stack_names(dr_environment_suffix)).vpc }} {{ dr_names.data_bucket }}-{{ account }}\"\n"
    )
    assert _findings(path) == []
