"""ansible-doc renders every module, plugin and role argument spec: it is the
users' manual, so a broken DOCUMENTATION block is a broken release."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if p.stem != "__init__")
ROLES = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "meta" / "argument_specs.yml").exists())
PLUGINS = [("filter", "resource_name"), ("filter", "subnet_cidr"), ("filter", "dr_status_markdown"), ("test", "ipv4_cidr")]


def ansible_doc(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-doc"), *args],
        cwd=ROOT,
        env={**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(ROOT), "ANSIBLE_NOCOLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


@pytest.mark.parametrize("module", MODULES)
def test_module_documentation_renders(module):
    result = ansible_doc(f"healthcare.dr.{module}")
    assert result.returncode == 0, result.stderr
    assert "[WARNING]" not in result.stderr, result.stderr
    for section in ("OPTIONS", "EXAMPLES", "RETURN VALUES"):
        assert section in result.stdout, f"{module}: no {section}"


@pytest.mark.parametrize("role", ROLES)
def test_role_argument_spec_renders(role):
    result = ansible_doc("-t", "role", f"healthcare.dr.{role}")
    assert result.returncode == 0, result.stderr
    specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())
    # Without a terminal, ansible-doc marks names as *name*.
    shown = set(re.findall(r"ENTRY POINT: \*?(\w+)\*?", result.stdout))
    assert shown == set(specs["argument_specs"]), result.stdout[:2000]


@pytest.mark.parametrize("kind, name", PLUGINS)
def test_plugin_documentation_renders(kind, name):
    result = ansible_doc("-t", kind, f"healthcare.dr.{name}")
    assert result.returncode == 0, result.stderr
    assert name in result.stdout
