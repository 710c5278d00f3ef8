"""The judging stage: the checks, the behaviour catalogue and the registry model, the harness
that runs them, and the pytest plug-in that is the suite's face (``pytest --pyargs
ecr_public_conformance.conformance`` runs the suite).

Its rooms, each a sub-package:

- ``pytest_plugin``: the plug-in and its ``--ecr-*`` options, the session that opens the target,
  the cases it collects, and the run record it builds at the end;
- ``harness``: the check environment and its parts (sender, guard, resources, failure factory,
  once-per-run results), the check registry and runner, the requests a check sends (samples,
  bindings), the run's configuration, ledger and cleanup;
- ``checks``: one module of checks per category;
- ``catalogue``: every documented error and effect as data, and the interpreter of its scenarios;
- ``model``: the stateful model of a registry, one module per rule group, and its facts;
- ``parity``: recording a target and judging another against the recording.

``test_conformance.py`` is the one parametrized test the plug-in fills with cases.
"""
