# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jinja templates compiled once per playbook run, for the controller and every task's worker.

ansible-core 2.19 compiles every template string anew each time it renders it
(``TemplateEngine._compile_template`` calls ``Environment.from_string``, which
has no cache), and most of that happens in the task's worker, a process forked
for one task, so nothing it compiled outlives the task. On this collection's
no-op ``site.yml`` rerun the workers compiled 5,194 templates (3,417 different
within a worker, far fewer across them) for 10 of their 26 CPU seconds.

Here the Python code Jinja generates for a template is kept, keyed by the template's
text and every environment setting that changes the generated code (the lexer's
delimiters and whitespace settings, the code generator, autoescape, finalize,
extensions, and Ansible's backslash escaping at compile time), and reused: a hit
binds the kept code to the calling environment, as Jinja does for a template it
loads from its bytecode cache, so globals, filters and variables are still the
caller's. Only the compile is saved; the trust check before it and the rendering
after it are untouched, and a template that fails to compile is never kept.

What a worker compiled reaches later workers through the controller: the worker
writes the code it compiled (``marshal``, as Python's own ``.pyc`` files) into a
directory only this user can read, when its task ends; the controller reads those
files before it forks the next worker, which inherits them. A worker killed
mid-task ships nothing; its templates are compiled again by a later one.

Between runs the code is kept in one file per Python, Jinja and ansible-core version
(``~/.cache/healthcare.dr/``, or ``$XDG_CACHE_HOME/healthcare.dr/``), read when the
run starts and rewritten when it ends, as Python keeps ``__pycache__``: a file not
owned by this user, or writable by anyone else, is ignored. ``HEALTHCARE_DR_TEMPLATE_CACHE``
names another directory, or ``off`` keeps nothing between runs.
"""

from __future__ import annotations

import atexit
import contextvars
import functools
import marshal
import os
import shutil
import stat
import sys
import tempfile

import jinja2
from jinja2.environment import TemplateExpression

# What Jinja's get_lexer keys its lexers on: each changes how a template is tokenised.
_LEXER_SETTINGS = (
    "block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
    "comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
    "trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline",
)  # fmt: skip
# Enough for the templates of any real playbook; past it nothing more is kept.
MAX_ENTRIES = 50_000
_SUFFIX = ".codes"
# The workers' shipping directory: <prefix><controller pid>-<random>, in the temporary directory.
_PREFIX = "healthcare-dr-templates-"

_codes: dict[tuple, object] = {}
_compiled_here: dict[tuple, object] = {}
_state: dict = {"controller": None, "directory": None, "file": None, "loaded": 0}
# Set while compile_expression runs, so compile() hands it the code it generated.
_capture: contextvars.ContextVar = contextvars.ContextVar("healthcare_dr_template_capture", default=None)


def _name(value) -> str | None:
    return None if value is None else f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"


def _settings(env, escape_backslashes) -> tuple | None:
    """What decides the code generated for a template in ``env``; None when it cannot be told (callable autoescape)."""
    if callable(env.autoescape):
        return None
    return (
        tuple(getattr(env, name) for name in _LEXER_SETTINGS),
        env.autoescape,
        env.optimized,
        env.is_async,
        _name(env.code_generator_class),
        _name(env.finalize),
        tuple(sorted(env.extensions)),
        escape_backslashes,
    )


def _keep(key: tuple, code) -> None:
    if len(_codes) < MAX_ENTRIES:
        _codes[key] = code
        if os.getpid() != _state["controller"]:
            _compiled_here[key] = code


def _cached_compile(compile_, escape_backslashes):
    @functools.wraps(compile_)
    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        settings = None
        if isinstance(source, str) and not raw and not self._debuggable_template_source:
            settings = _settings(self, escape_backslashes())
        if settings is None:
            code = compile_(self, source, name, filename, raw, defer_init)
            holder = _capture.get()
            if holder is not None and not holder and not raw:
                holder.append(code)
            return code
        key = ("template", str(source), name, filename, defer_init, settings)
        code = _codes.get(key)
        if code is None:
            code = compile_(self, source, name, filename, raw, defer_init)
            _keep(key, code)
        return code

    compile.healthcare_dr_cached = True
    return compile


def _cached_compile_expression(compile_expression, escape_backslashes):
    @functools.wraps(compile_expression)
    def compile_expression_cached(self, source, undefined_to_none=True):
        settings = None if self._debuggable_template_source else _settings(self, escape_backslashes())
        if settings is None:
            return compile_expression(self, source, undefined_to_none)
        key = ("expression", str(source), settings)
        code = _codes.get(key)
        if code is not None:
            template = self.template_class.from_code(self, code, self.make_globals(None), None)
            return TemplateExpression(template, undefined_to_none)
        holder: list = []
        token = _capture.set(holder)
        try:
            expression = compile_expression(self, source, undefined_to_none)
        finally:
            _capture.reset(token)
        if holder:
            _keep(key, holder[0])
        return expression

    compile_expression_cached.healthcare_dr_cached = True
    return compile_expression_cached


def cache_file(versions: str, environ=None) -> str | None:
    """The file that keeps the code between runs for these ``versions``; None when switched off."""
    environ = os.environ if environ is None else environ
    directory = environ.get("HEALTHCARE_DR_TEMPLATE_CACHE")
    if directory == "off":
        return None
    if not directory:
        base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        directory = os.path.join(base, "healthcare.dr")
    return os.path.join(directory, f"templates-{versions}.marshal")


def _read(path: str) -> list:
    """The entries of a cache file this user alone can write; nothing for any other file."""
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
                return []
            entries = marshal.load(handle)
    except (OSError, EOFError, ValueError, TypeError):
        return []
    return entries if isinstance(entries, list) else []


def load(path: str | None) -> int:
    """Keep the code a previous run saved in ``path``; returns how many templates."""
    _state["file"] = path
    if path:
        for key, code in _read(path):
            if len(_codes) < MAX_ENTRIES:
                _codes[key] = code
    _state["loaded"] = len(_codes)
    return _state["loaded"]


def save() -> bool:
    """In the controller, at the end of the run: add what this run compiled to the cache file."""
    path = _state["file"]
    if not path or os.getpid() != _state["controller"]:
        return False
    collect()
    if len(_codes) == _state["loaded"]:
        return False
    merged = dict(_read(path))  # what runs beside this one saved meanwhile
    for key, code in _codes.items():
        if len(merged) >= MAX_ENTRIES:
            break
        merged.setdefault(key, code)
    try:
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".templates-")  # mode 0600
        with os.fdopen(handle, "wb") as out:
            marshal.dump(list(merged.items()), out)
        os.replace(partial, path)
    except (OSError, ValueError):
        return False
    _state["loaded"] = len(_codes)
    return True


def _at_exit(owner: int, directory: str) -> None:
    # Processes forked from the controller inherit this handler; only the controller acts on it.
    if os.getpid() == owner:
        save()
        shutil.rmtree(directory, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def remove_orphans(parent: str | None = None) -> list[str]:
    """Remove the shipping directories of controllers that are gone; returns their paths.

    A controller removes its own at exit, unless it was killed (SIGKILL runs no handler): the
    next run does it. Only this user's directories whose controller process no longer exists.
    """
    parent = parent or tempfile.gettempdir()
    removed = []
    try:
        names = [n for n in os.listdir(parent) if n.startswith(_PREFIX)]
    except OSError:
        return removed
    for name in names:
        pid = name[len(_PREFIX):].split("-", 1)[0]
        path = os.path.join(parent, name)
        try:
            owned = os.lstat(path).st_uid == os.getuid()
        except OSError:
            continue
        if pid.isdigit() and owned and not _alive(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def install(environment_class, escape_backslashes, versions: str) -> bool:
    """Cache ``environment_class``'s compiles, in this process and every process forked from it.

    ``escape_backslashes`` returns the compile-time backslash escaping in effect (Ansible's
    ``_TemplateCompileContext``), part of every key; ``versions`` names what the generated
    code depends on besides (ansible-core's version), for the file kept between runs. Call
    it in the controller before the first worker is forked; returns False if already installed.
    """
    if getattr(environment_class.compile, "healthcare_dr_cached", False):
        return False
    _state["controller"] = os.getpid()
    remove_orphans()
    _state["directory"] = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")  # mode 0700
    load(cache_file(f"py{sys.version_info[0]}.{sys.version_info[1]}-jinja{jinja2.__version__}-{versions}"))
    atexit.register(_at_exit, os.getpid(), _state["directory"])
    environment_class.compile = _cached_compile(environment_class.compile, escape_backslashes)
    environment_class.compile_expression = _cached_compile_expression(environment_class.compile_expression, escape_backslashes)
    return True


def ship() -> None:
    """In a worker: write what this process compiled for the controller, then forget it."""
    directory = _state["directory"]
    if not _compiled_here or directory is None or os.getpid() == _state["controller"]:
        return
    entries = list(_compiled_here.items())
    _compiled_here.clear()
    path = os.path.join(directory, str(os.getpid()))
    try:
        with open(path + ".part", "wb") as handle:
            marshal.dump(entries, handle)
        os.rename(path + ".part", path + _SUFFIX)
    except (OSError, ValueError):  # the run is ending, or a code object would not marshal: the next worker compiles
        pass


def collect() -> int:
    """In the controller: keep what workers shipped since the last call; returns how many templates were added."""
    directory = _state["directory"]
    if directory is None or os.getpid() != _state["controller"]:
        return 0
    added = 0
    try:
        names = [n for n in os.listdir(directory) if n.endswith(_SUFFIX)]
    except OSError:
        return 0
    for name in names:
        path = os.path.join(directory, name)
        try:
            with open(path, "rb") as handle:
                entries = marshal.load(handle)
            os.unlink(path)
        except (OSError, EOFError, ValueError, TypeError):
            continue
        for key, code in entries:
            if key not in _codes and len(_codes) < MAX_ENTRIES:
                _codes[key] = code
                added += 1
    return added
