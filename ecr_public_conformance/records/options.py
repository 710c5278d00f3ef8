"""Every option of the suite, declared once: its flags, type, default, help and who takes it.

The ``run`` parser, the ``--ecr-*`` group of the pytest plug-ins, the translation of ``run``'s
options for its inner pytest session, the building of ``RunConfig`` and the options page of the
documentation (``docs/options.md``) are all made from ``OPTIONS``. An option named ``NAME`` is
``--NAME`` on ``run`` and ``--ecr-NAME`` in the plug-in form.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

#: Who takes an option: ``run``, the suite's pytest plug-in, or the reports' pytest plug-in.
Taker = Literal["run", "plugin", "reports-plugin", "record", "cleanup"]
#: How an option's value is read: text, a comma-separated list, a repeatable flag, a switch,
#: an integer, a number, a path.
Kind = Literal["text", "csv", "append", "switch", "int", "float", "path"]
PROFILES = ("quick", "ci", "nightly")
#: Where reports go by default: a folder of the current directory, never the source tree's
#: ``reports/`` package; history goes beside it (``ecr-conformance/history``).
DEFAULT_REPORT_DIR = Path("ecr-conformance/latest")
STRICTNESS = ("spec", "aws")
#: The edition a run judges by when none is named: the newest shipped (today's API). A target
#: of an older edition is judged truthfully by it: the operations it lacks are unsupported
#: (counted apart) and the members it lacks may be ignored
#: (``conformance/harness/older_edition.py``).
RUN_EDITION = "newest"
EDITION_HELP = "spec edition to judge by: a name from 'specs editions', or newest, oldest, seed"


@dataclass(frozen=True)
class Option:
    """One option: its name, how it is read, its default and help, who takes it, and the
    ``RunConfig`` field it fills (None: used by the command itself)."""

    name: str
    help: str
    kind: Kind = "text"
    default: Any = None
    choices: tuple[str, ...] = ()
    metavar: str | None = None
    takers: frozenset[Taker] = frozenset({"run", "plugin"})
    field: str | None = None
    #: An argparse type for ``run`` (a parse that refuses bad values in one line).
    parse: Callable[[str], Any] | None = None
    #: The commands that cannot do without it (``record --out``, ``cleanup --endpoint-url``).
    required: frozenset[Taker] = frozenset()

    @property
    def run_flag(self) -> str:
        """The flag of ``run``."""
        return f"--{self.name}"

    @property
    def plugin_flag(self) -> str:
        """The flag of the pytest plug-in form."""
        return f"--ecr-{self.name}"

    @property
    def dest(self) -> str:
        """The attribute ``run``'s parsed arguments keep the value in."""
        return self.name.replace("-", "_")

    @property
    def plugin_dest(self) -> str:
        """The name ``config.getoption`` reads the plug-in form's value by."""
        return "ecr_" + self.dest

    def help_with_default(self, taker: Taker = "run") -> str:
        """The help text, ending with the default when there is one worth saying (none where
        ``taker`` requires the option)."""
        if taker in self.required:
            return self.help.split(" (default:", 1)[0]
        if self.default in (None, False, [], ()) or "default" in self.help:
            return self.help
        return f"{self.help} (default: {self.default})"


def _o(name: str, help: str, **kw: Any) -> Option:
    takers = kw.pop("takers", ("run", "plugin"))
    field = kw.pop("field", name.replace("-", "_"))
    required = frozenset(kw.pop("required", ()))
    return Option(name, help, takers=frozenset(takers), field=field, required=required, **kw)


def _command(name: str, help: str, **kw: Any) -> Option:
    return _o(name, help, takers=kw.pop("takers", ("run",)), field=None, **kw)


#: The options ``run`` and the plug-in take that ``record`` takes too.
RUN_AND_RECORD = ("run", "plugin", "record")
#: ... and ``cleanup`` too: where the target is and how to sign for it.
TARGET_OPTIONS = (*RUN_AND_RECORD, "cleanup")


OPTIONS: tuple[Option, ...] = (
    _o(
        "endpoint-url",
        "endpoint under test, or 'aws' for AWS itself (default: the embedded reference endpoint)",
        takers=TARGET_OPTIONS,
        required=("cleanup",),
    ),
    _o("region", "region to sign for", default="us-east-1", takers=TARGET_OPTIONS),
    _o(
        "target-name",
        "name of the target, which keys its history (default: 'reference' for the embedded "
        "reference, the URL's host and port otherwise)",
        metavar="NAME",
    ),
    _o("edition", EDITION_HELP, default=RUN_EDITION, metavar="NAME", takers=RUN_AND_RECORD),
    _o(
        "profile",
        "generation profile: how many cases and requests",
        default="quick",
        choices=PROFILES,
        takers=RUN_AND_RECORD,
    ),  # fmt: skip
    _o(
        "strictness",
        "spec: only MUST checks count; aws: SHOULD checks (AWS habits) count too",
        default="spec",
        choices=STRICTNESS,
    ),
    _o(
        "operations",
        "comma-separated operations to test (default: every operation of the edition)",
        kind="csv",
    ),
    _o("checks", "comma-separated check ids or categories to run (default: all)", kind="csv"),
    _o(
        "expected-failures",
        "TOML file of known gaps, as strict expected failures",
        kind="path",
        metavar="FILE",
    ),  # fmt: skip
    _o(
        "seed",
        "seed for reproducible generation (default: a random one, printed and recorded)",
        kind="int",
        takers=RUN_AND_RECORD,
    ),
    _o(
        "timeout",
        "seconds to wait for each response",
        kind="float",
        default=15.0,
        field="timeout_s",
        metavar="SECONDS",
        takers=RUN_AND_RECORD,
    ),  # fmt: skip
    _o(
        "consistency-window",
        "seconds a read-after-write may take to become visible",
        kind="float",
        default=10.0,
        field="consistency_window_s",
        metavar="SECONDS",
    ),
    _o("read-only", "only checks that create nothing", kind="switch", default=False),
    _o(
        "allow-aws-mutations",
        "allow checks that create (public!) repositories in an AWS account "
        "(needs --sandbox-accounts)",
        kind="switch",
        default=False,
        takers=RUN_AND_RECORD,
        field="aws.mutations",
    ),
    _o(
        "allow-aws-premium",
        "against AWS, also premium writes (premium repositories, products, state, associations, "
        "image status) in a sandbox account; nothing is ever made AVAILABLE in the gallery",
        kind="switch",
        default=False,
        field="aws.premium",
    ),
    _o(
        "sandbox-accounts",
        "comma-separated AWS account ids mutations are allowed in",
        kind="csv",
        takers=RUN_AND_RECORD,
        field="aws.sandbox_accounts",
    ),  # fmt: skip
    _o(
        "max-requests",
        "the most requests the run may send (default: the profile's budget, at most 3000 "
        "against AWS); checks cut short by it are errors",
        kind="int",
        metavar="N",
        takers=RUN_AND_RECORD,
    ),
    _o("ledger", "file recording every resource the run creates", kind="path", metavar="FILE"),
    _o(
        "reference-fault",
        "fault switch for the embedded reference (repeatable; demos and tests)",
        kind="append",
        default=[],
        field="reference.faults",
        metavar="NAME",
        takers=RUN_AND_RECORD,
    ),
    _o(
        "reference-variant",
        "variant for the embedded reference: the other valid choice of a freedom "
        "(repeatable; 'all' for every variant)",
        kind="append",
        default=[],
        field="reference.variants",
        metavar="NAME",
        takers=RUN_AND_RECORD,
    ),
    _o(
        "records",
        "write the run's results (JSON) to this file",
        kind="path",
        takers=("plugin",),
        metavar="FILE",
    ),  # fmt: skip
    _o("hypothesis-db", "Hypothesis example database folder", kind="path", metavar="DIR"),
    _o(
        "shard",
        "I/N: run only shard I (1-based) of N of the cases; merge with report build",
        metavar="I/N",
    ),  # fmt: skip
    _o(
        "oracle",
        "parity corpus (from 'record'): replay it and report parity with the recorded target, "
        "scored apart",
        kind="path",
        metavar="DIR",
        field="parity.oracle",
    ),
    _o(
        "parity-gate",
        "with an oracle: parity divergences fail the run (default: reported, not counted)",
        kind="switch",
        default=False,
        field="parity.gate",
    ),
    _o(
        "report-dir",
        "where to write results.json, junit.xml, summary.md, badge.svg and report.html",
        kind="path",
        default=DEFAULT_REPORT_DIR,
        takers=("run", "reports-plugin"),
        field=None,
        metavar="DIR",
    ),
    _o(
        "history-dir",
        "history folder (default: REPORT_DIR/../history)",
        kind="path",
        takers=("run", "reports-plugin"),
        field=None,
        metavar="DIR",
    ),
    _command(
        "workers",
        "pytest-xdist workers: a number, or 'auto' (never slower than serial here)",
        default=1,
    ),
    _command(
        "max-failures", "stop after N failed cases (-x: after the first)", kind="int", metavar="N"
    ),
    _command(
        "wait-for-endpoint",
        "retry the first request until the endpoint answers or SECONDS have passed",
        kind="float",
        metavar="SECONDS",
        takers=("run", "record"),
    ),
    _command(
        "color",
        "colour the progress: auto (a terminal without NO_COLOR), always, never",
        default="auto",
        choices=("auto", "always", "never"),
    ),
    _command(
        "update-expected-failures",
        "write (or refresh) FILE with the known gaps this run found, one entry per cause, "
        "keeping the reasons, links and expiry dates it already had",
        kind="path",
        metavar="FILE",
    ),
    _command(
        "quiet",
        "only the header and the final summary (record: no progress lines)",
        kind="switch",
        default=False,
        takers=("run", "record"),
    ),
    _command(
        "out",
        "the corpus folder to write",
        kind="path",
        metavar="DIR",
        required=("record",),
        takers=("record",),
    ),
    _command(
        "label",
        "how reports name the recorded target (default: from the endpoint)",
        takers=("record",),
    ),
    _command(
        "list-checks",
        "list the checks (id, category, level, description) and exit",
        kind="switch",
        default=False,
    ),
)


def taken_by(taker: Taker) -> tuple[Option, ...]:
    """The options one command or plug-in takes, in the table's order."""
    return tuple(o for o in OPTIONS if taker in o.takers)


def option(name: str) -> Option:
    """The option called ``name`` (KeyError when there is none)."""
    for o in OPTIONS:
        if o.name == name:
            return o
    raise KeyError(name)


def _argparse_kwargs(o: Option, parse: bool, taker: Taker = "run") -> dict[str, Any]:
    """Keyword arguments of ``add_argument``/``addoption`` for ``o`` as ``taker`` takes it."""
    kw: dict[str, Any] = {"help": o.help_with_default(taker), "default": o.default}
    if o.kind == "switch":
        kw["action"] = "store_true"
        return kw
    if o.kind == "append":
        kw["action"] = "append"
        kw["default"] = []
    if o.choices:
        kw["choices"] = o.choices
    if o.metavar:
        kw["metavar"] = o.metavar
    if parse and o.parse is not None:
        kw["type"] = o.parse
    elif o.kind in ("int", "float", "path"):
        kw["type"] = {"int": int, "float": float, "path": Path}[o.kind]
    return kw


def add_arguments(
    parser: argparse.ArgumentParser,
    command: Taker,
    parsers: dict[str, Callable[[str], Any]] | None = None,
) -> None:
    """Add every option ``command`` takes to its parser (``parsers``: argparse types by name)."""
    for o in taken_by(command):
        kw = _argparse_kwargs(o, parse=False, taker=command)
        if o.name in (parsers or {}):
            kw["type"] = (parsers or {})[o.name]
        if command in o.required:
            kw["required"] = True
        parser.add_argument(o.run_flag, **kw)


def add_run_arguments(
    parser: argparse.ArgumentParser, parsers: dict[str, Callable[[str], Any]]
) -> None:
    """Add every option ``run`` takes to its parser (``parsers``: argparse types by name)."""
    add_arguments(parser, "run", parsers)


def add_plugin_options(group: Any, taker: Taker = "plugin") -> None:
    """Add every option the plug-in ``taker`` takes to its pytest option group."""
    for o in taken_by(taker):
        kw = _argparse_kwargs(o, parse=False)
        if o.name == "report-dir":  # the plug-in form writes reports only when asked
            kw["default"] = None
        group.addoption(o.plugin_flag, **kw)


def plugin_argv(values: Mapping[str, Any]) -> list[str]:
    """The plug-in flags that hand ``run``'s values on (``values``: by option name) for every
    option both take; options absent or at their default are left out."""
    out: list[str] = []
    for o in OPTIONS:
        if not {"run", "plugin"} <= o.takers:
            continue
        value = values.get(o.dest)
        if value is None or value == "" or value is False or value == o.default:
            continue
        if o.kind == "switch":
            out.append(o.plugin_flag)
        elif o.kind == "append":
            for item in value:
                out += [o.plugin_flag, str(item)]
        else:
            out += [o.plugin_flag, str(value)]
    return out


def config_values(get: Callable[[str], Any]) -> dict[str, Any]:
    """``RunConfig``'s fields as the plug-in's options give them (``get``: pytest's getoption)."""
    out: dict[str, Any] = {}
    for o in taken_by("plugin"):
        if o.field is None:
            continue
        out[o.field] = _convert(o, get(o.plugin_dest))
    return out


def _convert(o: Option, value: Any) -> Any:
    """An option's raw value as ``RunConfig`` holds it."""
    if o.kind == "csv":
        return tuple(v.strip() for v in (value or "").split(",") if v.strip())
    if o.kind == "append":
        return tuple(value or ())
    if o.kind == "switch":
        return bool(value)
    if o.kind == "path":
        return Path(value) if value else None
    if o.kind == "int":
        return int(value) if value not in (None, "") else None
    if o.kind == "float":
        return float(value) if value not in (None, "") else o.default
    return value if value not in (None, "") else o.default


def markdown_table(takers: Iterable[Taker] = ("run", "plugin")) -> str:
    """The options page's table: run flag, plug-in flag, default, meaning."""
    rows = ["| `run` | plug-in | default | meaning |", "|---|---|---|---|"]
    wanted = set(takers)
    for o in OPTIONS:
        if not o.takers & wanted:
            continue
        run = f"`{o.run_flag}`" if "run" in o.takers else ""
        plugin = f"`{o.plugin_flag}`" if o.takers & {"plugin", "reports-plugin"} else ""
        default = "" if o.default in (None, False, []) else f"`{o.default}`"
        rows.append(f"| {run} | {plugin} | {default} | {o.help} |")
    return "\n".join(rows) + "\n"


#: The markers around the generated table in docs/options.md.
TABLE_START = "<!-- options table: generated from records/options.py -->"
TABLE_END = "<!-- end of options table -->"


def with_table(page: str) -> str:
    """``page`` with the text between the table markers replaced by :func:`markdown_table`."""
    head, found, rest = page.partition(TABLE_START)
    if not found or TABLE_END not in rest:
        raise ValueError("the page has no options table markers")
    return f"{head}{TABLE_START}\n{markdown_table()}{TABLE_END}{rest.split(TABLE_END, 1)[1]}"


if __name__ == "__main__":  # python -m ecr_public_conformance.records.options docs/options.md
    import sys

    for name in sys.argv[1:]:
        page = Path(name)
        try:
            page.write_text(with_table(page.read_text(encoding="utf-8")), encoding="utf-8")
        except (OSError, ValueError) as exc:
            print(f"error: {name}: {exc}", file=sys.stderr)
            sys.exit(2)
