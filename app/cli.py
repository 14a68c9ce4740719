"""The `spielraum` command line: serve, user add/password/deactivate, token create, prompts
list/import, redact, db, log export, purge, config export/import.

Secrets a command creates (passwords, tokens) are printed exactly once, on stdout, and
`token create` prints the token as the last line so scripts can take `tail -n 1`.
Everything else (hints, warnings) goes to stderr.
"""
from __future__ import annotations

import argparse
import sys

from sqlmodel import Session

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
    password = user_sub.add_parser(
        "password", help="set a new password (ends all of the user's sessions; they must change it at next sign-in)")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true", required=True,
                          help="read the new password from stdin (never from the command line)")
    deactivate = user_sub.add_parser("deactivate", help="disable an account: sessions end, API tokens stop")
    deactivate.add_argument("name")

    token = sub.add_parser("token", help="manage API tokens")
    token_sub = token.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create an API token for a user (printed once, last line)")
    create.add_argument("name", help="the user the token belongs to")
    create.add_argument("--label", default="", help="a note to recognise the token by")

    prompts = sub.add_parser("prompts", help="the prompt library")
    prompts_sub = prompts.add_subparsers(dest="prompts_command", required=True)
    listing = prompts_sub.add_parser("list", help="print the published library")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    importing = prompts_sub.add_parser("import", help="add prompts from a YAML or JSON file (checked by the guard)")
    importing.add_argument("file")
    log_cmd = sub.add_parser("log", help="the redaction log (pseudonymised exchanges)")
    log_sub = log_cmd.add_subparsers(dest="log_command", required=True)
    export = log_sub.add_parser("export", help="write the log to stdout as JSON lines or CSV")
    export.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    export.add_argument("--since", type=_date_arg, help="first day, YYYY-MM-DD (UTC)")
    export.add_argument("--until", type=_date_arg, help="last day, YYYY-MM-DD (UTC), inclusive")

    purge = sub.add_parser("purge", help="delete exchanges older than the retention period")
    purge.add_argument("--older-than-days", type=int, default=None,
                       help="default: SPIELRAUM_RETENTION_DAYS (90)")

    db = sub.add_parser("db", help="the database schema (Alembic migrations)")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="bring the database to the newest revision (the app also does on start)")
    db_sub.add_parser("current", help="print the database's revision and the newest one")
    revision = db_sub.add_parser("revision", help="write a new revision from the models (for developers)")
    revision.add_argument("-m", "--message", required=True, help="what the revision changes")
    revision.add_argument("--empty", action="store_true", help="an empty revision to fill in by hand")

    config = sub.add_parser("config", help="the control room's configuration as a YAML file")
    config_sub = config.add_subparsers(dest="config_command", required=True)
    config_export = config_sub.add_parser("export", help="write the configuration as YAML (no secrets)")
    config_export.add_argument("-o", "--output", help="write to this file instead of stdout")
    config_import = config_sub.add_parser(
        "import", help="replace the configuration with a YAML file (exit code 2: the file has errors)")
    config_import.add_argument("file")
    config_import.add_argument("--dry-run", action="store_true", help="only print what would change")

    from app.redact_command import FORMATS_HELP  # light: no guard is built by importing it

    redact = sub.add_parser("redact", help="pseudonymise JSON lines from stdin with the chat's guard",
                            description="Runs the chat's guard over JSON lines from stdin (for evaluation).",
                            epilog=FORMATS_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    redact.add_argument("--jsonl", action="store_true", required=True,
                        help="read and write JSON lines (the only format; see below)")
    return parser


def main(argv: list[str] | None = None) -> int:
    from app.storage.schema import SchemaError

    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except SchemaError as exc:  # a database this code cannot migrate: say why, no traceback
        print(f"spielraum: {exc}", file=sys.stderr)
        return 1


def _run(args) -> int:
    if args.command == "redact":
        from app.redact_command import run_redact_jsonl
        return run_redact_jsonl(sys.stdin, sys.stdout)
    if args.command == "serve":
        return _serve(args.host, args.port, args.workers)
    if args.command == "user":
        if args.user_command == "password":
            return _user_password(args.name)
        if args.user_command == "deactivate":
            return _user_deactivate(args.name)
        return _user_add(args.name, args.role, args.password_stdin)
    if args.command == "token":
        return _token_create(args.name, args.label)
    if args.command == "prompts":
        from app.learning.prompts_command import run_prompts_command
        return run_prompts_command(args, _engine)
    if args.command == "log":
        return _log_export(args.format, args.since, args.until)
    if args.command == "purge":
        return _purge(args.older_than_days)
    if args.command == "db":
        return _db(args)
    if args.command == "config":
        from app.admin.config_command import run_config_command
        return run_config_command(args, _engine)
    return 1


def _date_arg(value: str):
    from datetime import date

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _log_export(fmt: str, since, until) -> int:
    from app.dpo import export
    from app.dpo.access import references_for
    from app.storage import audit
    from app.storage.dpo_queries import LogFilter

    if since and until and since > until:
        print("spielraum: --since is after --until", file=sys.stderr)
        return 2
    settings, engine = _engine()
    try:
        with Session(engine) as session:
            audit.append(session, action="export", actor_id=None, actor="cli", actor_role="cli", target="log",
                         detail={"format": fmt, "filter": {"since": since, "until": until}})
        for line in export.lines(fmt, engine, LogFilter(since=since, until=until), references_for(settings)):
            sys.stdout.write(line)
        sys.stdout.flush()
    finally:
        engine.dispose()
    return 0


def _purge(older_than_days: int | None) -> int:
    from app.dpo.retention import purge

    settings, engine = _engine()
    days = settings.retention_days if older_than_days is None else older_than_days
    if days < 0:
        print("spielraum: --older-than-days must be 0 or more", file=sys.stderr)
        return 2
    try:
        run = purge(engine, days, "cli")
    finally:
        engine.dispose()
    print(f"Deleted {run.deleted_exchanges} exchange(s) and {run.deleted_conversations} conversation(s) "
          f"older than {days} day(s).", file=sys.stderr)
    return 0


def _engine():
    from app.storage.engine import build_engine, create_tables
    from app.settings import Settings

    settings = Settings()
    engine = build_engine(settings)
    create_tables(engine)
    return settings, engine


WORKER_HEALTHCHECK_SECONDS = 30


def _serve(host: str, port: int, workers: int = 1) -> int:
    """Start uvicorn. With several workers each process builds the app from the environment
    (`app.factory:create_app` as a factory import string), so the guard is loaded once per
    process; what must be shared (admin account, session secret, the server's own URL, the
    local demo model's server) is settled here first, once."""
    import os

    import uvicorn

    from app.accounts.auth import session_secret
    from app.accounts.provisioning import AccountError, ensure_admin
    from app.chat.demo_model import loopback_base_url
    from app.factory import load_models
    from providers import CatalogueError, LocalModelError

    settings, engine = _engine()
    if settings.self_url is None:
        settings.self_url = loopback_base_url(host, port)
        os.environ["SPIELRAUM_SELF_URL"] = settings.self_url
    try:
        load_models(settings)  # a broken catalogue stops here, before any worker starts
    except CatalogueError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 2
    if settings.config_file is not None:
        from app.admin.config_startup import ConfigFileError, apply_config_file

        try:  # once here, so the workers find it applied and a broken file stops before they start
            apply_config_file(engine, settings.config_file)
        except ConfigFileError as exc:
            print(f"spielraum: {exc}", file=sys.stderr)
            engine.dispose()
            return 2
    session_secret(settings)  # generated once, before workers could race to create it
    try:
        generated = ensure_admin(engine, settings)
    except AccountError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    try:
        # Last of the checks: the model takes seconds to load and is not started for a failing start.
        local_model = _start_local_model(settings)
    except LocalModelError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 2
    if generated:
        print(f"Created the administrator account 'admin' with password: {generated}")
        print("This password is shown only once. Please change or note it now.", flush=True)
    # uvicorn's supervisor pings every worker and kills one that has not answered within
    # `timeout_worker_healthcheck` (default 5 s). On a small machine under a burst (measured: load
    # average 19 on 2 cores) a busy but healthy worker can miss that, and killing it drops every
    # request it holds (seen in bench/proxy_overhead.py as ReadErrors and a worker's CPU counter
    # starting again from zero); a hung worker is still replaced, half a minute later.
    try:
        uvicorn.run("app.factory:create_app", factory=True, host=host, port=port, workers=max(1, workers),
                    log_config=None, access_log=False, timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS)
    finally:
        if local_model is not None:
            local_model.stop()
    return 0


def _start_local_model(settings):
    """The local demo model's server, started here once for all workers (app/chat/local_model.py);
    the workers find it through SPIELRAUM_LOCAL_MODEL_URL."""
    import os

    from app.chat.local_model import local_model_wanted, start_local_model
    from providers import LocalModelError

    if not local_model_wanted(settings):
        return None
    try:
        server = start_local_model(settings)
    except LocalModelError as exc:
        if settings.local_model == "on":
            raise
        print(f"spielraum: the local demo model is not offered: {exc}", file=sys.stderr)
        return None
    settings.local_model_url = server.base_url
    os.environ["SPIELRAUM_LOCAL_MODEL_URL"] = server.base_url
    print(f"Local demo model (SmolLM2) answering on {server.base_url}.", file=sys.stderr, flush=True)
    return server


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
    _audit_account_change(name, "create", after={"username": name.strip(), "role": role, "password": "set"})
    print(f"Created user {name.strip()!r} with role {role}.")
    if generated:
        print("Password (shown only once):")
        print(generated)
    return 0


def _user_password(name: str) -> int:
    from app.accounts.provisioning import AccountError, change_password

    password = sys.stdin.readline().rstrip("\r\n")
    _, engine = _engine()
    try:
        # An administrator chose it for someone else: the user replaces it at next sign-in.
        ended = change_password(engine, name, password, must_change=True)
    except AccountError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    _audit_account_change(name, "password_reset", after={"password": "set", "sessions_ended": ended})
    print(f"Changed the password of {name.strip()!r}; ended {ended} session(s). "
          "The user must choose a new one at the next sign-in.")
    return 0


def _user_deactivate(name: str) -> int:
    from app.accounts.provisioning import AccountError, deactivate_user

    _, engine = _engine()
    try:
        ended = deactivate_user(engine, name)
    except AccountError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    _audit_account_change(name, "deactivate", before={"is_active": True},
                          after={"is_active": False, "sessions_ended": ended})
    print(f"Deactivated {name.strip()!r}: ended {ended} session(s); its API tokens no longer work.")
    return 0


def _audit_account_change(name: str, verb: str, *, before: dict | None = None, after: dict | None = None) -> None:
    """Account changes from the command line go to the same audit log as the control room's
    (actor "cli"); `record_change` masks the password field, so only "(gesetzt)" is kept."""
    from sqlmodel import Session, select

    from app.admin.change_log import record_change
    from app.storage import config_versions
    from app.storage.tables import User

    _, engine = _engine()
    try:
        with Session(engine) as session:
            user = session.exec(select(User).where(User.username == name.strip())).first()
            if user is None:
                return
            config_versions.bump(session, config_versions.USERS)
            record_change(session, None, area="users", verb=verb, target=f"user:{user.id}",
                          before=before, after=after)
    finally:
        engine.dispose()


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


def _db(args) -> int:
    from sqlalchemy.exc import OperationalError

    from app.settings import Settings
    from app.storage import schema

    url = Settings().database_url
    try:
        if args.db_command == "upgrade":
            schema.upgrade_database(url)
            print(f"Database at revision {schema.current_revision(url)}.")
        elif args.db_command == "current":
            current, head = schema.current_revision(url), schema.head_revision()
            state = "up to date" if current == head else "needs `spielraum db upgrade`"
            print(f"current: {current or '(none)'}\nhead: {head}\n{state}")
        else:
            rev_id = schema.new_revision(url, args.message, autogenerate=not args.empty)
            print(f"Wrote {schema.MIGRATIONS_DIR / 'versions' / (rev_id + '.py')}; please read it before committing.")
    except schema.SchemaError as exc:
        print(f"spielraum: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:  # the URL may hold a password: name only the error type
        print(f"spielraum: cannot use the database ({type(exc.orig).__name__}); "
              "please check SPIELRAUM_DATABASE_URL and that the server is running.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
