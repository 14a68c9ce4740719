"""The `spielraum` command line: serve, user add, token create, redact.

Secrets a command creates (passwords, tokens) are printed exactly once, on stdout, and
`token create` prints the token as the last line so scripts can take `tail -n 1`.
Everything else (hints, warnings) goes to stderr.
"""
from __future__ import annotations

import argparse
import sys

from app.storage.tables import ROLES


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="spielraum", description="Spielraum: a protected LLM playground.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the web application")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1,
                       help="worker processes (each loads its own guard; about one per CPU core)")

    user = sub.add_parser("user", help="manage accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="create an account (prints a generated password once)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, default="employee")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    token = sub.add_parser("token", help="manage API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create an API token for a user (printed once, last line)")
    create.add_argument("name", help="the user the token belongs to")
    create.add_argument("--label", default="", help="a note to recognise the token by")

    redact = sub.add_parser("redact", help="pseudonymise JSON lines from stdin with the chat's guard")
    redact.add_argument("--jsonl", action="store_true", required=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "redact":
        from app.redact_command import run_redact_jsonl
        return run_redact_jsonl(sys.stdin, sys.stdout)
    if args.command == "serve":
        return _serve(args.host, args.port, args.workers)
    if args.command == "user":
        return _user_add(args.name, args.role, args.password_stdin)
    if args.command == "token":
        return _token_create(args.name, args.label)
    return 1


def _engine():
    from app.storage.engine import build_engine, create_tables
    from app.settings import Settings

    settings = Settings()
    engine = build_engine(settings)
    create_tables(engine)
    return settings, engine


def _serve(host: str, port: int, workers: int = 1) -> int:
    """Start uvicorn. With several workers each process builds the app from the environment
    (`app.factory:create_app` as a factory import string), so the guard is loaded once per
    process; what must be shared (admin account, session secret, the server's own URL) is
    settled here first, once."""
    import os

    import uvicorn

    from app.accounts.auth import session_secret
    from app.accounts.provisioning import ensure_admin
    from app.chat.demo_model import loopback_base_url
    from app.factory import load_models
    from providers import CatalogueError

    settings, engine = _engine()
    if settings.self_url is None:
        settings.self_url = loopback_base_url(host, port)
        os.environ["SPIELRAUM_SELF_URL"] = settings.self_url
    try:
        load_models(settings)  # a broken catalogue stops here, before any worker starts
    except CatalogueError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 2
    session_secret(settings)  # generated once, before workers could race to create it
    generated = ensure_admin(engine, settings)
    engine.dispose()
    if generated:
        print(f"Created the administrator account 'admin' with password: {generated}")
        print("This password is shown only once. Please change or note it now.", flush=True)
    uvicorn.run("app.factory:create_app", factory=True, host=host, port=port, workers=max(1, workers),
                log_config=None, access_log=False)
    return 0


def _user_add(name: str, role: str, password_stdin: bool) -> int:
    from app.accounts.provisioning import AccountError, add_user

    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    _, engine = _engine()
    try:
        generated = add_user(engine, name, role, password)
    except AccountError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Created user {name.strip()!r} with role {role}.")
    if generated:
        print("Password (shown only once):")
        print(generated)
    return 0


def _token_create(name: str, label: str) -> int:
    from app.accounts.provisioning import AccountError, new_token

    _, engine = _engine()
    try:
        token = new_token(engine, name, label)
    except AccountError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"API token for {name!r} (shown only once; use it as 'Authorization: Bearer <token>'):")
    print(token)
    return 0


if __name__ == "__main__":
    sys.exit(main())
