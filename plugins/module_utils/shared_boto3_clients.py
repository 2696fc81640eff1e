# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One boto3 session and one client per set of arguments for all the tasks of a long-lived interpreter.

amazon.aws builds every client from a new ``boto3.session.Session``: botocore
registers its few hundred built-in event handlers on each session and copies them
into each client, 25 to 50 ms of CPU per module run, more than most of the API
calls a no-op task makes. Under Mitogen's strategy one warm interpreter runs task
after task and the ``healthcare.dr.mitogen_linear`` strategy calls :func:`share`
there once; from then on a session made with no argument but a profile is the
same object for the same profile and the same ``AWS_*``/``BOTO_*`` environment
(a task's ``environment:`` changes the key), and its ``client()`` returns the
client it made before for the same arguments (service, region, endpoint,
credentials, botocore config). Long-lived clients are how the AWS SDKs are meant
to be used: a client keeps no state of a call but its connection pool and the
``standard`` retry mode's quota, which successful calls refill. Sessions made
with credentials, a region or a botocore session of their own are never shared,
nor is any session while amazon.aws's placebo recording or replay is on (it
attaches to each new session).
"""

from __future__ import annotations

import os

_ENVIRONMENT = ("AWS_", "BOTO_")
_PLACEBO = ("_ANSIBLE_PLACEBO_RECORD", "_ANSIBLE_PLACEBO_REPLAY")


def _session_key(args, kwargs):
    """What a shareable session depends on, or None for a session that must be new."""
    if args or set(kwargs) - {"profile_name"} or any(name in os.environ for name in _PLACEBO):
        return None
    environment = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(_ENVIRONMENT)))
    return kwargs.get("profile_name"), environment


def _client_key(args, kwargs):
    """The client's arguments as a hashable value; a botocore Config by the options it was given."""
    config = kwargs.get("config")
    options = getattr(config, "_user_provided_options", config)
    plain = {k: v for k, v in kwargs.items() if k != "config"}
    return repr(args), repr(sorted(plain.items())), repr(sorted(options.items()) if isinstance(options, dict) else options)


def share():
    """Make ``boto3.session.Session`` share sessions and their clients in this interpreter; idempotent."""
    import boto3
    import boto3.session

    if getattr(boto3.session.Session, "healthcare_dr_shared", False):
        return False
    sessions = {}

    class SharedSession(boto3.session.Session):
        healthcare_dr_shared = True

        def __new__(cls, *args, **kwargs):
            key = _session_key(args, kwargs)
            if key is None or key not in sessions:
                session = super().__new__(cls)
                session._healthcare_dr_clients = None if key is None else {}
                if key is not None:
                    sessions[key] = session
                return session
            return sessions[key]

        def __init__(self, *args, **kwargs):
            # Python calls __init__ on whatever __new__ returns: a shared session is set up once.
            if getattr(self, "_healthcare_dr_ready", False):
                return
            super().__init__(*args, **kwargs)
            self._healthcare_dr_ready = True

        def client(self, *args, **kwargs):
            if self._healthcare_dr_clients is None:
                return super().client(*args, **kwargs)
            key = _client_key(args, kwargs)
            if key not in self._healthcare_dr_clients:
                self._healthcare_dr_clients[key] = super().client(*args, **kwargs)
            return self._healthcare_dr_clients[key]

    boto3.session.Session = boto3.Session = SharedSession
    return True
