"""The embedded reference endpoint: an in-memory ECR Public speaking AWS JSON 1.1.

``start_server()`` runs it over HTTP in a background thread, ``make_wsgi_app()`` returns it
as a WSGI callable, each serving one spec edition (``edition=``, the default one when None),
and :data:`FAULTS` lists the fault switches that make it deviate from the specs in small,
documented ways (``faults.toml``; the variants are in ``variants.toml``).
"""

from __future__ import annotations

from .faults import FAULTS, Fault
from .options import Options
from .server import ReferenceServer, start_server
from .wsgi import WsgiApp, make_wsgi_app

__all__ = [
    "FAULTS",
    "Fault",
    "Options",
    "ReferenceServer",
    "WsgiApp",
    "make_wsgi_app",
    "start_server",
]
