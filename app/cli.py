"""The `spielraum` command line: serve, user add, token create, redact."""
from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spielraum", description="Spielraum: a protected LLM playground.")
    sub = parser.add_subparsers(dest="command", required=True)
    redact = sub.add_parser("redact", help="pseudonymise JSON lines from stdin with the chat's guard")
    redact.add_argument("--jsonl", action="store_true", required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "redact":
        from app.redact_command import run_redact_jsonl
        return run_redact_jsonl(sys.stdin, sys.stdout)
    return 1


if __name__ == "__main__":
    sys.exit(main())
