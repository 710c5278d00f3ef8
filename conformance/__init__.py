"""The judging stage: the checks, the behaviour catalogue, the harness that runs them, and the
pytest plug-in that is the suite's face.

Where things live:

- the pytest face: ``plugin.py`` (options come from ``records/options.py``), ``session.py``
  (opens the target), ``test_conformance.py`` (the one parametrized test), ``worker.py``;
- the harness: ``env.py`` (what a check sends through: budget, namespace guard, ledger),
  ``runner.py`` (a check's outcome as a result), ``registry.py`` (the ``@check`` decorator),
  ``cases.py``, ``ledger.py``, ``namespace.py``, ``probe.py``, ``run_record.py`` (the run record);
- the checks: ``checks/`` (one module per category);
- the catalogue: ``behaviours.toml`` and ``behaviours_premium.toml`` (documented errors and
  effects as data, each with its quote), ``behaviours.py`` (their loader), ``scenarios.py`` and
  the ``scenario_*`` and ``premium_fixtures`` modules (the one interpreter that runs them);
- parity with a recorded target: ``parity/``.
"""
