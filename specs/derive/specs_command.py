"""``ecr-public-conformance specs derive|check|editions|drift``: the command-line side."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..editions import EDITIONS_DIR, EditionError, edition, editions, version_key
from ..loader import SpecError
from .errors import DocumentError
from .generate import check_generated, vendor_installed
from .model_diff import diff_models, summary, summary_line
from .pipeline import CheckFailed, check_reports, check_specs, derive, write_reports, write_specs
from .service_model import read_installed, read_vendored

#: Exit code of ``specs drift --installed`` when the installed model differs from the edition's.
EXIT_DRIFT = 3
EXIT_BAD_INPUT = 2


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg,unused-ignore]
    """Register ``specs derive``, ``check``, ``editions`` and ``drift`` on the main parser."""
    specs = sub.add_parser("specs", help="derive, check and compare the spec editions")
    actions = specs.add_subparsers(dest="specs_action", required=True)
    d = actions.add_parser("derive", help="derive editions' specs from their sources")
    _editions_dir(d)
    d.add_argument("--edition", help="the edition to derive (default: every shipped edition)")
    d.add_argument(
        "--from-installed-boto3",
        action="store_true",
        help="first write the edition's sources from the installed boto3 and botocore "
        "(default name: botocore-<installed version>)",
    )
    d.add_argument("--specs-dir", type=Path, help="derive only the edition in this folder")
    d.add_argument("--document", type=Path, help="reference document (default: the vendored one)")
    c = actions.add_parser("check", help="fail if committed specs differ from a fresh derivation")
    _editions_dir(c)
    c.add_argument("--specs-dir", type=Path, help="check only the edition in this folder")
    e = actions.add_parser("editions", help="list the shipped editions, oldest first")
    _editions_dir(e)
    r = actions.add_parser("drift", help="compare an edition's model with the installed one")
    _editions_dir(r)
    r.add_argument("--edition", default="newest", help="the edition to compare (default: newest)")
    r.add_argument(
        "--installed",
        action="store_true",
        required=True,
        help="compare with the installed botocore's model (exit 3 when it differs)",
    )
    specs.set_defaults(handler=run)


def _editions_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--editions-dir", type=Path, default=EDITIONS_DIR, help="folder of the editions"
    )


def run(args: argparse.Namespace) -> int:
    """Run one ``specs`` action; return the exit code."""
    actions = {"derive": _derive, "check": _check, "editions": _list, "drift": _drift}
    try:
        return actions[args.specs_action](args)
    except DocumentError as exc:
        return _bad(f"the reference document is malformed: {exc}")
    except (EditionError, SpecError) as exc:
        return _bad(str(exc))
    except CheckFailed as exc:
        print(f"specs check failed: {exc}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError) as exc:
        return _bad(f"cannot read the sources: {type(exc).__name__}: {exc}")


def _bad(message: str) -> int:
    print(f"error: {' '.join(message.split())}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _derive(args: argparse.Namespace) -> int:
    if args.specs_dir is not None:
        files = derive(args.specs_dir, args.document)
        write_specs(files, args.specs_dir)
        print(f"wrote {len(files)} files under {args.specs_dir}")
        return 0
    root = args.editions_dir
    if args.from_installed_boto3:
        name = args.edition or f"botocore-{_installed_botocore()}"
        if name in ("newest", "oldest", "seed") or "/" in name:
            return _bad(f"{name!r} cannot name a new edition")
        versions = vendor_installed(root / name)
        print(f"{name}: sources from boto3 {versions.boto3} and botocore {versions.botocore}")
        targets = [edition(name, root)]
    elif args.edition is not None:
        targets = [edition(args.edition, root)]
    else:
        targets = list(editions(root))
    for e in targets:
        files = derive(e.directory, args.document)
        write_specs(files, e.directory)
        print(f"{e.name}: wrote {len(files)} files")
    print(f"wrote {write_reports(root)} drift report(s) between consecutive editions")
    return 0


def _installed_botocore() -> str:
    import botocore

    return str(botocore.__version__)


def _check(args: argparse.Namespace) -> int:
    if args.specs_dir is not None:
        check_specs(args.specs_dir)
        print(f"specs under {args.specs_dir} match a fresh derivation and the spec schema")
        return 0
    for e in editions(args.editions_dir):
        check_specs(e.directory)
        note = ""
        if e.generated:
            try:
                note = "; " + check_generated(e)
            except ValueError as exc:
                raise CheckFailed(str(exc)) from None
        print(f"{e.name}: specs match a fresh derivation and the spec schema{note}")
    count = check_reports(args.editions_dir)
    print(f"{count} drift report(s) between consecutive editions up to date")
    return 0


def _list(args: argparse.Namespace) -> int:
    for e in editions(args.editions_dir):
        boto3 = e.versions.boto3 or "unknown"
        print(
            f"{e.name:<20} {e.operations:>3} operations  boto3 {boto3:<8} "
            f"botocore {e.versions.botocore}"
        )
    return 0


def _same(a: object, b: object) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _drift(args: argparse.Namespace) -> int:
    e = edition(args.edition, args.editions_dir)
    vendored = read_vendored(e.source)
    installed = read_installed()
    ours = (vendored.service, vendored.paginators, vendored.waiters)
    theirs = (installed.service, installed.paginators, installed.waiters)
    print(
        f"installed botocore {installed.botocore_version}; edition {e.name} "
        f"(botocore {e.versions.botocore})"
    )
    if _same(ours, theirs):
        print("the installed ecr-public model is the edition's")
        return 0
    newer = version_key(installed.botocore_version) > version_key(e.versions.botocore)
    changes = diff_models(vendored, installed)
    print(
        f"the installed ecr-public model differs ({'newer' if newer else 'not newer'}): "
        f"{len(changes)} change(s)" + ("" if changes else " (documentation only)")
    )
    for title, counts in summary(changes):
        print(f"  {title}: {summary_line(counts)}")
    print("to take it in: ecr-public-conformance specs derive --from-installed-boto3")
    return EXIT_DRIFT
