"""The users' manual is true to the tree.

ansible-doc renders every module, plugin and role argument spec: a broken
DOCUMENTATION block is a broken release. README.md and the docs/ pages name only
what exists: every relative link resolves, every `make` target, repository path,
tag, extra variable and suite job they name is there, and the layout page
(docs/architecture.md) names every top-level entry, role, playbook, tool,
scenario and module, so a new one cannot be added without it."""

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


# ---------------------------------------------------------------- README.md and docs/
# Read as text: no ansible-doc run, no emulator.

DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [ROOT / "README.md", *DOCS]
ROLE_READMES = sorted((ROOT / "roles").glob("*/README.md"))
# Issue 18: the README at most half of the 519 lines it had when the issue was filed.
README_MAX_LINES = 259

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
SPAN = re.compile(r"`([^`\n]+)`")
MAKE = re.compile(r"(?:^|[\s;&|(])make\s+([a-z][\w-]*)")
# Paths inside the repository that a page may name; generated ones (tests/output/) are not checked.
TRACKED_TOP = ("roles", "playbooks", "plugins", "molecule", "tests", "tools", "inventories", "changelogs", "meta",
               "docs", ".config", ".ci")  # fmt: skip
PATH = re.compile(r"^(?:" + "|".join(re.escape(t) for t in TRACKED_TOP) + r")/[\w./-]*$")
EXTRA_VAR = re.compile(r"-e\s+(\w+)=")
TAGS = re.compile(r"--tags\s+([\w,]+)")
ONLY = re.compile(r"--only\s+((?:[\w-]+\s*)+)")


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def code(text: str) -> list[str]:
    """The page's code: each fenced block and each inline code span."""
    blocks = FENCE.findall(text)
    prose = FENCE.sub("", text)
    return blocks + SPAN.findall(prose)


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = FENCE.sub("", path.read_text())
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+)$", text, re.MULTILINE)}


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))


def site_tags() -> set[str]:
    """The tags of site.yml's plays and role entries."""
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            tags = node.get("tags")
            found.update([tags] if isinstance(tags, str) else tags or [])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load((ROOT / "playbooks" / "site.yml").read_text()))
    return found


def test_the_readme_is_at_most_half_its_length_when_issue_18_was_filed():
    lines = len((ROOT / "README.md").read_text().splitlines())
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; the detail belongs in docs/"


@pytest.mark.parametrize("page", [*PAGES, *ROLE_READMES], ids=_relative)
def test_every_relative_link_resolves(page):
    broken = []
    for target in LINK.findall(FENCE.sub("", page.read_text())):
        if re.match(r"^[a-z]+:", target):
            continue  # https:, mailto:
        path, _hash, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(target)
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
            broken.append(f"{target} (no such heading)")
    assert broken == [], f"{_relative(page)}: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=_relative)
def test_every_make_target_named_exists(page):
    named = {target for snippet in code(page.read_text()) for target in MAKE.findall(snippet)}
    assert named - make_targets() == set(), f"{_relative(page)} names make targets the Makefile lacks"


@pytest.mark.parametrize("page", PAGES, ids=_relative)
def test_every_repository_path_named_exists(page):
    missing = []
    for snippet in code(page.read_text()):
        for token in snippet.split():
            token = token.strip(",.;:()[]'\"")
            if not PATH.match(token) or token.startswith("tests/output"):
                continue
            # A role's own files may be named relative to the role (meta/argument_specs.yml).
            if not (ROOT / token).exists() and not list((ROOT / "roles").glob(f"*/{token}")):
                missing.append(token)
    assert missing == [], f"{_relative(page)} names paths that do not exist"


@pytest.mark.parametrize("page", PAGES, ids=_relative)
def test_every_tag_named_is_a_tag_of_site_yml(page):
    named = {tag for snippet in code(page.read_text()) for group in TAGS.findall(snippet) for tag in group.split(",")}
    assert named - site_tags() == set(), f"{_relative(page)}: tags site.yml does not have"


def test_the_readme_lists_exactly_the_role_tags_of_site_yml():
    (line,) = [line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("Tags: ")]
    listed = set(SPAN.findall(line))
    assert listed == site_tags() - {"always"}


@pytest.mark.parametrize("page", PAGES, ids=_relative)
def test_every_extra_variable_named_is_read_by_the_collection(page):
    sources = "\n".join(p.read_text() for top in ("playbooks", "roles", "inventories")
                        for p in (ROOT / top).rglob("*.yml"))  # fmt: skip
    named = {var for snippet in code(page.read_text()) for var in EXTRA_VAR.findall(snippet)}
    assert sorted(v for v in named if not re.search(rf"\b{v}\b", sources)) == [], _relative(page)


@pytest.mark.parametrize("page", PAGES, ids=_relative)
def test_every_suite_job_named_exists(page):
    import run_suite

    names = run_suite.scenarios(ROOT)
    for snippet in code(page.read_text()):
        for group in ONLY.findall(snippet):
            run_suite.make_jobs(names, group.split())  # raises on an unknown job
        for group in re.findall(r'SCENARIOS="([^"]+)"', snippet):
            assert set(group.split()) <= set(names), snippet


def test_the_readme_links_every_docs_page_and_every_role_readme():
    links = {(ROOT / target.partition("#")[0]).resolve() for target in LINK.findall((ROOT / "README.md").read_text())}
    assert [_relative(p) for p in [*DOCS, *ROLE_READMES] if p.resolve() not in links] == []


def test_every_role_has_a_readme():
    roles = sorted(p.name for p in (ROOT / "roles").iterdir() if p.is_dir())
    assert [r for r in roles if not (ROOT / "roles" / r / "README.md").is_file()] == []


def _top_level() -> list[str]:
    """The repository's top-level entries, without what .gitignore names (made by make and the tools)."""
    ignored = {line.strip().strip("/") for line in (ROOT / ".gitignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}  # fmt: skip
    return sorted(p.name for p in ROOT.iterdir() if p.name != ".git" and p.name not in ignored)


def test_the_layout_page_names_every_top_level_entry_role_playbook_tool_and_scenario():
    text = (ROOT / "docs" / "architecture.md").read_text()
    spans = " ".join(SPAN.findall(text))
    expected = {
        "top-level entry": _top_level(),
        "role": [p.name for p in (ROOT / "roles").iterdir() if p.is_dir()],
        "playbook": [p.name for p in (ROOT / "playbooks").rglob("*.yml")],
        "tool": [p.name for p in (ROOT / "tools").glob("*.py")],
        "molecule scenario": [p.parent.name for p in (ROOT / "molecule").glob("*/molecule.yml")],
        "molecule resource": [p.name for p in (ROOT / "molecule" / "resources").glob("*.yml")],
        "plugins folder": [f"plugins/{p.name}/" for p in (ROOT / "plugins").iterdir() if p.is_dir()],
        "tests folder": [f"tests/{p.name}/" for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name != "output"],
        "module": MODULES,
    }

    def named(name: str) -> bool:
        # A folder ("plugins/test/") may be named with a file in it; a file by its own name only.
        after = "" if name.endswith("/") else r"(?![\w-])"
        return bool(re.search(rf"(?<![\w.-]){re.escape(name)}{after}", spans))

    missing = {kind: sorted(n for n in names if not named(n)) for kind, names in expected.items()}
    assert {kind: names for kind, names in missing.items() if names} == {}


def test_the_bench_table_has_a_row_per_phase_of_the_benchmark():
    import bench

    text = (ROOT / "docs" / "performance.md").read_text()
    section = text.split("### `make bench`", 1)[1].split("\n### ", 1)[0]
    rows = [line for line in section.splitlines()
            if line.startswith("| ") and not line.startswith(("| Phase", "| ---"))]  # fmt: skip
    assert len(rows) == len(bench.PHASES), rows
    assert re.search(r"`reports/bench-\d{8}T\d{6}Z\.json`", section), "the figures name the report they come from"
