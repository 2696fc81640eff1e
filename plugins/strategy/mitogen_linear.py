# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

DOCUMENTATION = r"""
name: mitogen_linear
short_description: Mitogen's linear strategy, with the caches an AWS collection needs
description:
  - Runs the C(mitogen_linear) strategy of Mitogen for Ansible (PyPI C(mitogen)). Tasks run one after another
    in warm interpreters that keep their imports, instead of a new Python process per module.
  - Adds five caches that strategy lacks, each measured on this collection's stack (docs/performance.md).
  - The installed collections are listed once per run, in the controller. Mitogen lists them again in every
    task's worker for each module of a collection, importing every collection and reading its C(MANIFEST.json).
    With the 94 collections of the C(ansible) package that was about a third of the CPU of a no-op rerun.
  - The warm interpreters share one botocore data loader between boto3 sessions, so a service's model and the
    endpoint rules are parsed once per interpreter, not once per task
    (see the C(shared_botocore_loader) module utility of this collection).
  - The warm interpreters reuse one boto3 session per profile and environment, and one client per set of
    client arguments (service, region, endpoint, credentials, botocore config), instead of building both for
    every task (see the C(shared_boto3_clients) module utility of this collection).
  - Each Jinja template is compiled once per run instead of every time a task renders it; what a task's worker
    compiled reaches the workers forked after it, and the compiled code is kept between runs in
    C(~/.cache/healthcare.dr/) (C($XDG_CACHE_HOME) is followed; C(HEALTHCARE_DR_TEMPLATE_CACHE) names another
    directory, or C(off) keeps nothing). See the C(template_code_cache) plugin utility of this collection.
  - ansible-core's filter and test plugins, and this collection's, are imported once, in the controller, before
    any task's worker forks. Each worker imported them again from source for its task's templates (the
    collection loader keeps no bytecode), and a lookup of any of this collection's filters imports every filter
    file named before it.
  - Processes are not pinned to CPUs. Mitogen pins its connection multiplexer to CPU 0 and, on a machine with
    fewer than four CPUs, every other process of the run (the strategy, each task's worker, the warm
    interpreters) to CPU 1, so on two CPUs all the work of a run, and of every run beside it, shares one CPU
    while the other idles; the operating system's scheduler places them instead.
  - A collection installed while the playbook runs is not seen by later tasks' module lookups; start a new run.
  - Select it with C(strategy = healthcare.dr.mitogen_linear) in C(ansible.cfg) or with C(ANSIBLE_STRATEGY);
    no C(strategy_plugins) path is needed. C(strategy = linear) is the plain strategy; both are supported.
requirements:
  - mitogen >= 0.3.54, < 0.4 (PyPI)
author:
  - healthcare.dr maintainers (@healthcare-dr)
"""

import functools
import importlib
import pkgutil

from ansible.errors import AnsibleError
from ansible.release import __version__ as ansible_version

try:
    import ansible_mitogen.affinity
    import ansible_mitogen.loaders
    import ansible_mitogen.planner
    import ansible_mitogen.services
    import ansible_mitogen.strategy
except ImportError as error:  # StrategyModule() names what to install
    MITOGEN_IMPORT_ERROR = error
else:
    MITOGEN_IMPORT_ERROR = None

from ansible._internal._templating._jinja_bits import AnsibleEnvironment, _TemplateCompileContext
from ansible.executor.process.worker import WorkerProcess
from ansible.plugins.loader import filter_loader, test_loader
from ansible.plugins.strategy.linear import StrategyModule as LinearStrategyModule

from ansible_collections.healthcare.dr.plugins.module_utils import shared_boto3_clients, shared_botocore_loader
from ansible_collections.healthcare.dr.plugins.plugin_utils import template_code_cache

# What each new warm interpreter is told to do before its first task.
_SHARING = (shared_botocore_loader.share, shared_boto3_clients.share)


def _list_collections_once():
    """Replace Mitogen's per-task listing of collections with one made now, in the controller."""
    planner = ansible_mitogen.planner
    if getattr(planner._load_collections, "healthcare_dr_cached", False):
        return
    import ansible.collections.list

    paths = frozenset(path.decode("utf-8") for path in ansible.collections.list.list_collection_dirs())

    def load_collections(invocation):
        invocation._extra_sys_paths.update(paths)

    load_collections.healthcare_dr_cached = True
    planner._load_collections = load_collections


def _share_boto3_in_new_contexts():
    """After Mitogen connects a context (a warm interpreter), make it share botocore's loader and boto3's clients."""
    service = ansible_mitogen.services.ContextService
    if getattr(service._connect, "healthcare_dr_shares_boto3", False):
        return
    connect = service._connect

    @functools.wraps(connect)
    def connect_and_share(self, key, spec, via=None):
        result = connect(self, key, spec, via=via)
        for share in _SHARING:
            result["context"].call(share)
        return result

    connect_and_share.healthcare_dr_shares_boto3 = True
    service._connect = connect_and_share


def _schedule_freely():
    """Replace Mitogen's CPU pinning with its policy that pins nothing, before the multiplexer and workers start."""
    if isinstance(ansible_mitogen.affinity.policy, ansible_mitogen.affinity.FixedPolicy):
        ansible_mitogen.affinity.policy = ansible_mitogen.affinity.Policy()


def _escape_backslashes():
    context = _TemplateCompileContext.current(optional=True)
    return None if context is None else context.escape_backslashes


def _compile_templates_once():
    """Keep compiled templates for the run; each worker ships what it compiled when its task ends."""
    if not template_code_cache.install(AnsibleEnvironment, _escape_backslashes, f"ansible{ansible_version}"):
        return
    run = WorkerProcess._run

    @functools.wraps(run)
    def run_and_ship(self):
        try:
            return run(self)
        finally:
            template_code_cache.ship()

    WorkerProcess._run = run_and_ship


def _import_jinja_plugins_once():
    """Import ansible-core's Jinja plugins and this collection's in the controller, for every worker to inherit."""
    # Any lookup loads all of ansible-core's (and the configured paths') plugins of its kind; the name is not kept.
    for loader, name in ((filter_loader, "bool"), (test_loader, "match")):
        loader.get_with_context(name)
        package = importlib.import_module(f"ansible_collections.healthcare.dr.plugins.{loader.type}")
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)


# Without mitogen the class still loads (ansible-doc, sanity's import test); using it fails clearly.
_BASES = (LinearStrategyModule,) if MITOGEN_IMPORT_ERROR else (ansible_mitogen.strategy.StrategyMixin, LinearStrategyModule)


class StrategyModule(*_BASES):  # pylint: disable=too-few-public-methods
    def __init__(self, *args, **kwargs):
        if MITOGEN_IMPORT_ERROR is not None:
            raise AnsibleError(
                "strategy healthcare.dr.mitogen_linear needs the mitogen package (pip install 'mitogen>=0.3.54,<0.4'),"
                f" or choose strategy=linear: {MITOGEN_IMPORT_ERROR}"
            )
        # Before the first play's run: Mitogen's connection multiplexer and every
        # task's worker are forked from this process and inherit both changes.
        _schedule_freely()
        _list_collections_once()
        _share_boto3_in_new_contexts()
        _compile_templates_once()
        _import_jinja_plugins_once()
        super().__init__(*args, **kwargs)

    def _queue_task(self, host, task, task_vars, play_context):
        # The worker about to be forked inherits every template the earlier ones compiled.
        template_code_cache.collect()
        return super()._queue_task(host, task, task_vars, play_context)
