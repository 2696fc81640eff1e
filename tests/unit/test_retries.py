"""Every AWS call this collection makes is retried on throttling, 5xx and dropped
connections: the custom modules through AWSRetry, amazon.aws and community.aws
modules through botocore's retry configuration given to every play.

Read statically, so a new module or play that forgets it fails here; the fault
test (tests/integration/test_reliability.py) shows the retries at work."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MODULE_FILES = sorted((ROOT / "plugins" / "modules").glob("*.py")) + sorted(
    (ROOT / "plugins" / "module_utils").glob("*.py")
)
GROUP = "group/healthcare.dr.aws"


def _is_retried(function: ast.AST) -> bool:
    return any("AWSRetry" in ast.unparse(d) for d in getattr(function, "decorator_list", []))


def _client_calls(path: Path):
    """(line, call text, keywords, inside an AWSRetry-decorated function) of calls on a client."""
    tree = ast.parse(path.read_text())
    parents = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        receiver = ast.unparse(node.func.value)
        if not (receiver == "client" or receiver.endswith(("_client", ".client"))):
            continue
        enclosing, decorated = parents.get(node), False
        while enclosing is not None:
            if isinstance(enclosing, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_retried(enclosing):
                decorated = True
            enclosing = parents.get(enclosing)
        yield node.lineno, ast.unparse(node.func), {k.arg for k in node.keywords}, decorated


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.name)
def test_module_clients_are_made_with_a_retry_decorator(path):
    tree = ast.parse(path.read_text())
    missing = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "client"
        and ast.unparse(node.func.value).endswith("module")
        and "retry_decorator" not in {k.arg for k in node.keywords}
    ]
    assert not missing, f"{path.name}: module.client() without retry_decorator on lines {missing}"


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.name)
def test_every_client_call_is_retried(path):
    """A decorated client retries only the calls made with aws_retry=True; paginators
    (not decorated) must run inside a function wrapped by AWSRetry."""
    unretried = [
        f"{line}: {text}"
        for line, text, keywords, decorated in _client_calls(path)
        if "aws_retry" not in keywords and not decorated
    ]
    assert not unretried, f"{path.name}: client calls made without retries: {unretried}"


def test_every_module_of_the_group_gets_botocore_standard_retries():
    defaults = yaml.safe_load((ROOT / "roles" / "common" / "defaults" / "main.yml").read_text())["dr_aws_module_defaults"]
    retries = defaults["aws_config"]["retries"]
    assert "standard" in retries["mode"] or "adaptive" in retries["mode"]
    assert "10" in str(retries["total_max_attempts"])


def _task_keys(tasks):
    for task in tasks or []:
        yield from task
        for nested in ("block", "rescue", "always"):
            yield from _task_keys(task.get(nested))


def _plays():
    for path in sorted((ROOT / "playbooks").glob("*.yml")):
        for play in yaml.safe_load(path.read_text()) or []:
            if "hosts" in play:
                yield path.name, play


@pytest.mark.parametrize("name, play", list(_plays()), ids=lambda v: v if isinstance(v, str) else v.get("name"))
def test_every_play_that_reaches_aws_gets_the_module_defaults(name, play):
    """A play with roles or AWS tasks must carry the group's module_defaults, and
    with them the retry configuration; plays that only assert or print need none."""
    modules = {f"healthcare.dr.{p.stem}" for p in (ROOT / "plugins" / "modules").glob("*.py")}
    actions = set(_task_keys(play.get("pre_tasks", []) + play.get("tasks", []) + play.get("post_tasks", [])))
    # healthcare.dr.common has no task: listing it alone reaches nothing.
    roles = [r if isinstance(r, str) else r.get("role", r.get("name")) for r in play.get("roles", [])]
    reaches_aws = any(role != "healthcare.dr.common" for role in roles) or any(
        key.startswith(("amazon.aws.", "community.aws.")) or key in modules or key.endswith(("_role", "_tasks"))
        for key in actions
    )
    if not reaches_aws:
        return
    assert play.get("module_defaults", {}).get(GROUP) == "{{ dr_aws_module_defaults }}", f"{name}: {play.get('name')}"
    # dr_aws_module_defaults is a default of healthcare.dr.common: the play lists it, or a role that depends on it.
    assert any(_reaches_common(role) for role in roles), f"{name}: {play.get('name')}"


def _reaches_common(role: str) -> bool:
    if role == "healthcare.dr.common":
        return True
    meta = ROOT / "roles" / role.rsplit(".", 1)[-1] / "meta" / "main.yml"
    if not role.startswith("healthcare.dr.") or not meta.is_file():
        return False
    deps = yaml.safe_load(meta.read_text()).get("dependencies") or []
    return any(_reaches_common(d if isinstance(d, str) else d.get("role", d.get("name"))) for d in deps)
