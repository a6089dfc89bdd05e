"""`recon formats`: the provider formats this build reads, and how each is configured."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from recon.exit_codes import ExitCode
from recon.ingest.formats.spec import Format


def register(subparsers: Any) -> None:
    """Add the `formats` command to the `recon` command's subparsers."""
    parser = subparsers.add_parser(
        "formats",
        help="list the providers' file formats a source can be read from",
        description='List the formats `[sources.<name>] format = "..."` accepts, the files '
        "each reads and its defaults. docs/formats.md describes each with an example.",
        epilog='Example: [sources.gateway] format = "wechatpay-tradebill"',
    )
    parser.add_argument("name", nargs="?", help="show one format's default options")
    parser.set_defaults(handler=_formats)


def _formats(args: argparse.Namespace) -> int:
    from recon.ingest.formats import FORMATS

    if args.name is None:
        width = max(len(name) for name in FORMATS)
        for fmt in FORMATS.values():
            print(f"{fmt.name:<{width}}  {fmt.summary}  [{suffixes(fmt)}]")
        return ExitCode.CLEAN
    if args.name not in FORMATS:
        print(f"recon: unknown format {args.name!r} (known: {', '.join(FORMATS)})", file=sys.stderr)
        return ExitCode.FAILED
    print(describe(FORMATS[args.name]))
    return ExitCode.CLEAN


def suffixes(fmt: Format) -> str:
    return " ".join(s or "(no suffix)" for s in fmt.suffixes)


def describe(fmt: Format) -> str:
    """A format's summary, files and non-empty default options, one per line."""
    lines = [f"{fmt.name}: {fmt.summary}", f"  files: {suffixes(fmt)}"]
    for key, value in vars(fmt.defaults).items():
        if key == "source" or value in (None, "", (), {}) or (hasattr(value, "keys") and not value):
            continue
        shown = dict(value) if hasattr(value, "keys") else value
        lines.append(f"  {key} = {shown!r}")
    return "\n".join(lines)
