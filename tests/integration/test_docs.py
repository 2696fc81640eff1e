"""ansible-doc renders every module, plugin and role argument spec: it is the
users' manual, so a broken DOCUMENTATION block is a broken release."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if p.stem != "__init__")
ROLES = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "tasks").is_dir())


def jinja_plugins() -> list[tuple[str, str]]:
    """Every filter and test the plugin files define (one file may define several)."""
    found = []
    for kind, cls, method in (("filter", "FilterModule", "filters"), ("test", "TestModule", "tests")):
        for path in sorted((ROOT / "plugins" / kind).glob("*.py")):
            if path.stem == "__init__":
                continue
            module = importlib.import_module(f"ansible_collections.healthcare.dr.plugins.{kind}.{path.stem}")
            found.extend((kind, name) for name in getattr(module, cls)().__getattribute__(method)())
    return sorted(found)


PLUGINS = jinja_plugins()


def ansible_doc(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ansible-doc"), *args],
        cwd=ROOT,
        env={**os.environ, "ANSIBLE_COLLECTIONS_PATH": str(ROOT), "ANSIBLE_NOCOLOR": "1"},
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


# One ansible-doc run per kind renders all of that kind (about 3 CPU s each, most of it
# loading ansible and the collections, which one run per plugin paid again for every plugin);
# each plugin is then its own test, reading its part of the output.
HEADER = re.compile(r"^> (?:MODULE|ROLE:) \*?healthcare\.dr\.(\w+)\*? ", re.MULTILINE)


def _sections(text: str) -> dict[str, str]:
    """A text rendering of several plugins, split at each plugin's header line: {name: its part}."""
    starts = [m.start() for m in HEADER.finditer(text)] + [len(text)]
    return {HEADER.match(text, begin).group(1): text[begin:end] for begin, end in zip(starts, starts[1:])}


@pytest.fixture(scope="module")
def module_docs():
    return ansible_doc(*(f"healthcare.dr.{m}" for m in MODULES))


@pytest.fixture(scope="module")
def role_docs():
    return ansible_doc("-t", "role", *(f"healthcare.dr.{r}" for r in ROLES))


@pytest.fixture(scope="module")
def plugin_docs():
    kinds = sorted({kind for kind, _name in PLUGINS})
    return {kind: ansible_doc("--json", "-t", kind, *(f"healthcare.dr.{n}" for k, n in PLUGINS if k == kind))
            for kind in kinds}  # fmt: skip


def test_one_run_renders_every_module_and_every_role(module_docs, role_docs):
    for result in (module_docs, role_docs):
        assert result.returncode == 0, result.stderr
        assert "[WARNING]" not in result.stderr, result.stderr
    assert sorted(_sections(module_docs.stdout)) == MODULES
    assert sorted(_sections(role_docs.stdout)) == ROLES


@pytest.mark.parametrize("module", MODULES)
def test_module_documentation_renders(module_docs, module):
    shown = _sections(module_docs.stdout).get(module, "")
    for section in ("OPTIONS", "EXAMPLES", "RETURN VALUES"):
        assert f"\n{section}" in shown, f"{module}: no {section}"


@pytest.mark.parametrize("role", ROLES)
def test_role_argument_spec_renders(role_docs, role):
    assert (ROOT / "roles" / role / "meta" / "argument_specs.yml").exists(), f"{role}: no meta/argument_specs.yml"
    specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())
    # Without a terminal, ansible-doc marks names as *name*.
    shown = set(re.findall(r"ENTRY POINT: \*?(\w+)\*?", _sections(role_docs.stdout).get(role, "")))
    assert shown == set(specs["argument_specs"]), role_docs.stdout[:2000]


@pytest.mark.parametrize("kind, name", PLUGINS)
def test_plugin_documentation_renders(plugin_docs, kind, name):
    result = plugin_docs[kind]
    assert result.returncode == 0, result.stderr
    assert "[WARNING]" not in result.stderr, result.stderr
    doc = json.loads(result.stdout)[f"healthcare.dr.{name}"]
    # Each filter and test has documentation of its own, not its file's first one.
    assert doc["doc"]["name"] == name
    assert doc["doc"]["short_description"] and doc["examples"] and doc["return"], doc
