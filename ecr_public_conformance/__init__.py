"""ecr-public-conformance: spec-driven conformance testing for the Amazon ECR Public API.

The package is laid out as one direction of data: ``specs`` (derived operation specs and their
loader) -> ``strategies`` (Hypothesis request generation) -> ``conformance`` (checks and the
pytest plug-in) -> ``reports``. ``reference`` is the embedded reference endpoint, a target.
"""

__version__ = "0.1.0"
