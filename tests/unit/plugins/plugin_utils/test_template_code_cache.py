"""plugins/plugin_utils/template_code_cache.py: each template compiled once per run, the result unchanged.

Each test installs the cache on Ansible's own environment class (restored afterwards)
and renders through ansible-core's Templar, as a task does.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import jinja2
import pytest
from ansible._internal._templating._jinja_bits import AnsibleEnvironment
from ansible.errors import AnsibleTemplateSyntaxError
from ansible.executor.process.worker import WorkerProcess
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.healthcare.dr.plugins.plugin_utils import template_code_cache
from ansible_collections.healthcare.dr.plugins.strategy import mitogen_linear


@pytest.fixture
def compiles(monkeypatch, tmp_path):
    """Install the cache on a clean slate; returns the list of sources Jinja really compiled."""
    seen: list = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, *args, **kwargs):
        seen.append(source)
        return compile_(self, source, *args, **kwargs)

    monkeypatch.setattr(AnsibleEnvironment, "compile", counting, raising=False)
    monkeypatch.setattr(AnsibleEnvironment, "compile_expression", AnsibleEnvironment.compile_expression)
    monkeypatch.setattr(template_code_cache, "_codes", {})
    monkeypatch.setattr(template_code_cache, "_compiled_here", {})
    monkeypatch.setattr(template_code_cache, "_state", {"controller": None, "directory": None, "file": None, "loaded": 0})
    monkeypatch.setenv("HEALTHCARE_DR_TEMPLATE_CACHE", str(tmp_path / "kept"))
    assert template_code_cache.install(AnsibleEnvironment, mitogen_linear._escape_backslashes, "ansible-test") is True
    yield seen
    shutil.rmtree(template_code_cache._state["directory"], ignore_errors=True)


def _render(text: str, **variables):
    return Templar(loader=DataLoader(), variables=variables).template(trust_as_template(text))


def test_a_template_rendered_again_is_compiled_once_and_renders_each_callers_variables(compiles):
    assert _render("hello {{ name }}", name="world") == "hello world"
    assert _render("hello {{ name }}", name="there") == "hello there"
    assert compiles.count("hello {{ name }}") == 1
    assert template_code_cache.install(AnsibleEnvironment, mitogen_linear._escape_backslashes, "ansible-test") is False


def test_an_expression_is_compiled_once_and_evaluated_with_each_callers_variables(compiles):
    def evaluate(n):
        return Templar(loader=DataLoader(), variables={"n": n}).evaluate_expression(trust_as_template("n + 1 > 2"))

    assert [evaluate(1), evaluate(2), evaluate(5)] == [False, True, True]
    assert len(compiles) == 1  # compile_expression's one compile of its parsed tree


def test_other_delimiters_get_code_of_their_own(compiles):
    text = "[[ name ]] and {{ name }}"
    header = "#jinja2:variable_start_string:'[[', variable_end_string:']]'\n"
    assert _render(text, name="x") == "[[ name ]] and x"
    assert _render(header + text, name="x") == "x and {{ name }}"
    assert _render(text, name="y") == "[[ name ]] and y"
    assert _render(header + text, name="y") == "y and {{ name }}"
    assert compiles.count(text) == 2  # the header is read before the compile: the same text, two settings


def test_backslash_escaping_on_and_off_get_code_of_their_own(compiles):
    text = '{{ "a\\tb" }}'
    templar = Templar(loader=DataLoader(), variables={})
    escaped = templar.template(trust_as_template(text), escape_backslashes=True)
    unescaped = templar.template(trust_as_template(text), escape_backslashes=False)
    assert (escaped, unescaped) == ("a\\tb", "a\tb")
    assert templar.template(trust_as_template(text), escape_backslashes=True) == escaped
    assert compiles.count(text) == 2


def test_a_template_that_fails_to_compile_is_never_kept(compiles):
    for attempt in ("first", "second"):
        with pytest.raises(AnsibleTemplateSyntaxError):
            _render("{{ name ", attempt=attempt)
    assert compiles.count("{{ name ") == 2


def test_what_a_forked_worker_compiled_reaches_the_controller_and_later_workers(compiles):
    pid = os.fork()
    if pid == 0:  # the worker: compile, ship, leave as a worker leaves
        try:
            _render("from {{ where }}", where="worker")
            template_code_cache.ship()
        finally:
            os._exit(0)
    assert os.waitpid(pid, 0)[1] == 0
    assert compiles == []  # the worker's compile happened in its own process
    assert template_code_cache.collect() >= 1
    assert os.listdir(template_code_cache._state["directory"]) == []  # each shipment is read once
    assert _render("from {{ where }}", where="controller") == "from controller"
    assert compiles == []


def test_the_controller_keeps_what_it_compiled_without_shipping_it(compiles):
    _render("{{ 1 + 1 }}")
    template_code_cache.ship()
    assert template_code_cache._compiled_here == {}
    assert os.listdir(template_code_cache._state["directory"]) == []


def test_the_next_run_starts_with_what_this_run_compiled(compiles):
    _render("kept {{ for_later }}", for_later="now")
    path = template_code_cache._state["file"]
    assert path.startswith(os.environ["HEALTHCARE_DR_TEMPLATE_CACHE"]) and "ansible-test" in path
    assert template_code_cache.save() is True
    assert template_code_cache.save() is False  # nothing new since: the file is not rewritten
    template_code_cache._codes.clear()
    assert template_code_cache.load(path) >= 1
    assert _render("kept {{ for_later }}", for_later="later") == "kept later"
    assert compiles.count("kept {{ for_later }}") == 1
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_cache_file_others_can_write_is_ignored(compiles):
    _render("{{ 2 + 2 }}")
    template_code_cache.save()
    path = template_code_cache._state["file"]
    os.chmod(path, 0o666)
    template_code_cache._codes.clear()
    assert template_code_cache.load(path) == 0


def test_a_damaged_cache_file_is_ignored(compiles):
    path = template_code_cache._state["file"]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(b"not marshal data")
    os.chmod(path, 0o600)
    assert template_code_cache.load(path) == 0
    assert _render("{{ 3 }}") == 3


def test_where_the_code_is_kept_between_runs():
    home = os.path.expanduser("~")
    assert template_code_cache.cache_file("v", {}) == f"{home}/.cache/healthcare.dr/templates-v.marshal"
    assert template_code_cache.cache_file("v", {"XDG_CACHE_HOME": "/x"}) == "/x/healthcare.dr/templates-v.marshal"
    assert template_code_cache.cache_file("v", {"HEALTHCARE_DR_TEMPLATE_CACHE": "/y"}) == "/y/templates-v.marshal"
    assert template_code_cache.cache_file("v", {"HEALTHCARE_DR_TEMPLATE_CACHE": "off"}) is None


def test_only_the_controller_saves_and_removes_the_directory(compiles):
    _render("{{ 4 }}")
    directory = template_code_cache._state["directory"]
    template_code_cache._at_exit(os.getpid() + 1, directory)  # a forked process's exit
    assert os.path.isdir(directory) and not os.path.exists(template_code_cache._state["file"])
    template_code_cache._at_exit(os.getpid(), directory)
    assert not os.path.exists(directory) and os.path.exists(template_code_cache._state["file"])


def test_each_worker_ships_when_its_task_ends_even_if_it_failed(monkeypatch, compiles):
    shipped = []
    monkeypatch.setattr(template_code_cache, "install", lambda *args: True)
    monkeypatch.setattr(template_code_cache, "ship", lambda: shipped.append(1))

    def failing_run(self):
        raise RuntimeError("task failed")

    monkeypatch.setattr(WorkerProcess, "_run", failing_run)
    mitogen_linear._compile_templates_once()
    with pytest.raises(RuntimeError):
        WorkerProcess._run(object())
    assert shipped == [1]


def test_a_killed_controllers_directory_is_removed_by_the_next_run_and_a_live_ones_kept(tmp_path):
    """SIGKILL runs no exit handler: the next controller removes what a dead one left, never a live one's."""
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()  # fmt: skip
    dead = tmp_path / f"healthcare-dr-templates-{gone}-abc123"
    live = tmp_path / f"healthcare-dr-templates-{os.getpid()}-def456"
    unrelated = tmp_path / "healthcare-dr-templates-nopid"
    for directory in (dead, live, unrelated):
        directory.mkdir()
        (directory / "1.codes").write_bytes(b"")

    removed = template_code_cache.remove_orphans(str(tmp_path))

    assert removed == [str(dead)]
    assert not dead.exists() and live.exists() and unrelated.exists()
