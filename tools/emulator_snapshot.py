"""Save the emulator's whole state to a file and load it back: a prepared stack in a second, not a deploy.

The test suite builds a prerequisite stack (the network, the application tier, the
whole stack) once and every scenario that needs it loads it into its own, fresh
emulator instead of converging the roles again (``tools/stack_cache.py``).

moto keeps every resource in plain Python objects, one backend per service,
account and region (``BackendDict``). :func:`save` pickles all of them in one
pickle, so references between them survive; :func:`load` replaces the contents
of the live ``BackendDict`` objects, which every moto response looks its backend
up in on each request, so the server needs no restart. The few objects pickle
cannot take are reduced to what rebuilds them: locks (a new, free lock), weak
dictionaries (a new one over the same values, which the backends also hold
strongly) and the private keys moto makes for KMS keys (their PKCS#8 bytes).

This is test infrastructure, not AWS behaviour: it is reachable only as two
``/moto-api/`` routes of the loopback server (:func:`install`), and a snapshot
is named, never a path, so it is read only from the emulator's own folder.
"""

from __future__ import annotations

import functools
import importlib
import io
import json
import os
import pickle
import re
import sys
import threading
import weakref
from collections import defaultdict
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

FORMAT = 1
NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,99}$")
_LOCK_TYPES = (type(threading.Lock()), type(threading.RLock()))
_PRIVATE_KEY_TYPES = (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey, ed25519.Ed25519PrivateKey)


def _new_lock(reentrant: bool) -> Any:
    return threading.RLock() if reentrant else threading.Lock()


def _weak_values(items: dict) -> weakref.WeakValueDictionary:
    return weakref.WeakValueDictionary(items)


def _private_key(der: bytes) -> Any:
    return serialization.load_der_private_key(der, password=None)


def _defaultdict(factory: Any, items: dict) -> defaultdict:
    return defaultdict(factory, items)


def _named_factory(factory: Any) -> Any:
    """A picklable stand-in for a ``defaultdict`` factory written as a lambda (``lambda: {}``).

    moto's lambdas make an empty container; the stand-in is that container's type, or,
    for a nested ``defaultdict``, a partial of ``defaultdict`` over the inner factory.
    """
    name = getattr(factory, "__qualname__", "")
    if factory is None or not ("<lambda>" in name or "<locals>" in name):
        return factory
    sample = factory()
    if isinstance(sample, defaultdict):
        return functools.partial(defaultdict, _named_factory(sample.default_factory))
    if type(sample)() == sample:
        return type(sample)
    raise TypeError(f"cannot snapshot a defaultdict whose factory makes {sample!r}")


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, _LOCK_TYPES):
            return _new_lock, ("RLock" in type(obj).__name__,)
        # A subclass of defaultdict keeps its own reduction; only the plain one is rebuilt here.
        if isinstance(obj, defaultdict) and obj.__class__ is defaultdict:
            factory = _named_factory(obj.default_factory)
            if factory is not obj.default_factory:
                return _defaultdict, (factory, dict(obj))
            return NotImplemented
        if isinstance(obj, weakref.WeakValueDictionary):
            return _weak_values, (dict(obj.items()),)
        if isinstance(obj, _PRIVATE_KEY_TYPES):
            der = obj.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
            return _private_key, (der,)
        return NotImplemented


def _address(backend: Any) -> tuple[str, str]:
    """``(module, attribute)`` of the module-level global that holds a ``BackendDict`` (``moto.ec2.models``, ``ec2_backends``)."""
    package = backend.backend.__module__.rsplit(".", 1)[0]
    for module_name, module in list(sys.modules.items()):
        if module is None or not (module_name == package or module_name.startswith(package + ".")):
            continue
        for attribute, value in vars(module).items():
            if value is backend:
                return module_name, attribute
    raise LookupError(f"no module of {package} holds the {backend.service_name} backends")


def dumps() -> bytes:
    """The state of every backend in use, pickled."""
    from moto.core.base_backend import BackendDict, backend_lock

    with backend_lock:
        state = [(_address(backend), dict(backend)) for backend in BackendDict._instances]
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump({"format": FORMAT, "backends": state})
    return buffer.getvalue()


def loads(data: bytes) -> list[str]:
    """Replace the emulator's whole state with a :func:`dumps` result; returns the services loaded."""
    from moto.core.base_backend import BackendDict, backend_lock

    snapshot = pickle.loads(data)  # noqa: S301 - written by dumps() into the emulator's own folder
    if snapshot.get("format") != FORMAT:
        raise ValueError(f"snapshot format {snapshot.get('format')!r}, expected {FORMAT}")
    loaded = []
    with backend_lock:
        for backend in list(BackendDict._instances):
            backend.clear()
        BackendDict._instances.clear()
        for (module_name, attribute), accounts in snapshot["backends"]:
            backend = getattr(importlib.import_module(module_name), attribute)
            backend.update(accounts)
            BackendDict._instances.append(backend)
            loaded.append(backend.service_name)
    return sorted(loaded)


def path_for(directory: Path, name: str) -> Path:
    if not NAME.match(name):
        raise ValueError(f"snapshot name {name!r}: lowercase letters, digits, '_', '-' and '.' only")
    return directory / f"{name}.pickle"


def save(directory: Path, name: str) -> Path:
    path = path_for(directory, name)
    directory.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(dumps())
    temporary.replace(path)
    return path


def load(directory: Path, name: str) -> list[str]:
    return loads(path_for(directory, name).read_bytes())


def install(directory: Path) -> None:
    """Serve ``POST /moto-api/dr/snapshot?name=N`` and ``POST /moto-api/dr/restore?name=N`` from ``directory``."""
    from urllib.parse import parse_qs, urlparse

    from moto.moto_api._internal import urls

    def _name(full_url: str) -> str:
        return (parse_qs(urlparse(full_url).query).get("name") or [""])[0]

    def _answer(request: Any, full_url: str, action: Any) -> tuple[int, dict, str]:
        if request.method != "POST":
            return 405, {}, json.dumps({"error": "POST only"})
        try:
            return 200, {}, json.dumps(action(_name(full_url)))
        except (ValueError, FileNotFoundError) as error:
            return 400, {}, json.dumps({"error": str(error)})

    def dr_snapshot(request: Any, full_url: str, headers: Any) -> tuple[int, dict, str]:
        return _answer(request, full_url, lambda name: {"saved": str(save(directory, name))})

    def dr_restore(request: Any, full_url: str, headers: Any) -> tuple[int, dict, str]:
        return _answer(request, full_url, lambda name: {"restored": load(directory, name)})

    urls.url_paths["{0}/moto-api/dr/snapshot"] = dr_snapshot
    urls.url_paths["{0}/moto-api/dr/restore"] = dr_restore
