"""Review commands: ``serve`` (the web UI), ``users`` (accounts) and ``review apply`` (bulk decisions)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from core.errors import UserError
from newsmon.cli.app import app, group

users_app = group(
    help="People who use the review UI (argon2-hashed passwords, roles).", no_args_is_help=True
)
app.add_typer(users_app, name="users")
review_app = group(help="Analyst decisions outside the web UI.", no_args_is_help=True)
app.add_typer(review_app, name="review")


@app.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    secure_cookies: bool = typer.Option(
        None,
        "--secure-cookies/--no-secure-cookies",
        help="Mark the session cookie Secure (behind HTTPS). Default: env NEWSMON_SECURE_COOKIES.",
    ),
) -> None:
    """Start the review web UI (log in with a user made by `newsmon users add`).

    Example: `newsmon serve --host 127.0.0.1 --port 8000`
    """
    from werkzeug.serving import run_simple

    from newsmon.cli.core import require_schema
    from review.app import create_app
    from storage.db import database_url, redact, session_scope
    from storage.users import user_count

    require_schema()
    with session_scope() as session:
        users = user_count(session)
    if not users:
        typer.echo("no users yet: create one with `newsmon users add NAME --role admin`", err=True)
    application = create_app(secure_cookies=secure_cookies)
    typer.echo(f"review UI on http://{host}:{port}/ — database {redact(database_url())} — Ctrl+C to stop")
    try:
        run_simple(host, port, application, threaded=True, use_reloader=False, use_debugger=False)
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def _read_password(confirm: bool = True) -> str:
    """The password from a hidden prompt, or the first line of stdin when it is not a terminal."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line:
            raise UserError("no password on stdin")
        return line.rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=confirm)


def _actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Log-in name."),
    role: str = typer.Option(..., "--role", "-r", help="analyst, editor or admin."),
) -> None:
    """Create a user. The password is asked for (or read from stdin), never given as an argument.

    Example: `newsmon users add anna --role analyst`
    """
    from newsmon.cli.core import require_schema
    from review.users import check_password, check_role, create_user
    from storage.db import session_scope

    check_role(role)
    require_schema()
    password = check_password(_read_password(), name)
    with session_scope() as session:
        create_user(session, name, password, role, actor=_actor())
    typer.echo(f"user {name} ({role}) created")


@users_app.command("list")
def users_list() -> None:
    """List users, their roles and whether they are locked or inactive.

    Example: `newsmon users list`
    """
    from newsmon.cli.core import require_schema
    from storage.db import session_scope
    from storage.models import utcnow
    from storage.users import users_by_name

    require_schema()
    with session_scope() as session:
        rows = users_by_name(session)
        now = utcnow()
        for user in rows:
            state = "active" if user.active else "inactive"
            if user.locked_until is not None and user.locked_until > now:
                state += f", locked until {user.locked_until:%Y-%m-%d %H:%M} UTC"
            typer.echo(f"{user.name}\t{user.role}\t{state}")
    if not rows:
        typer.echo("no users")


@users_app.command("passwd")
def users_passwd(name: str = typer.Argument(..., help="Log-in name.")) -> None:
    """Set a user's password (asked for, or read from stdin); also unlocks the account.

    Example: `newsmon users passwd anna`
    """
    from newsmon.cli.core import require_schema
    from review.users import check_password, set_password
    from storage.db import session_scope

    require_schema()
    password = check_password(_read_password(), name)
    with session_scope() as session:
        set_password(session, name, password, actor=_actor())
    typer.echo(f"password of {name} changed")


@users_app.command("unlock")
def users_unlock(name: str = typer.Argument(..., help="Log-in name.")) -> None:
    """Lift a lock-out after too many failed log-ins.

    Example: `newsmon users unlock anna`
    """
    from newsmon.cli.core import require_schema
    from review.users import unlock
    from storage.db import session_scope

    require_schema()
    with session_scope() as session:
        unlock(session, name, actor=_actor())
    typer.echo(f"{name} unlocked")


@users_app.command("end-sessions")
def users_end_sessions(name: str = typer.Argument(..., help="Log-in name.")) -> None:
    """Log a user out of the review UI everywhere (every browser has to log in again).

    Example: `newsmon users end-sessions anna`
    """
    from newsmon.cli.core import require_schema
    from review.users import end_sessions
    from storage.db import session_scope

    require_schema()
    with session_scope() as session:
        end_sessions(session, name, actor=_actor())
    typer.echo(f"sessions of {name} ended")


@users_app.command("set")
def users_set(
    name: str = typer.Argument(..., help="Log-in name."),
    role: str = typer.Option(None, "--role", "-r", help="New role: analyst, editor or admin."),
    active: bool = typer.Option(None, "--active/--inactive", help="Allow or refuse log-in."),
) -> None:
    """Change a user's role, or deactivate / reactivate them.

    Example: `newsmon users set boris --role editor`
    """
    from newsmon.cli.core import require_schema
    from review.users import update_user
    from storage.db import session_scope

    if role is None and active is None:
        raise UserError("nothing to change: give --role and/or --active/--inactive")
    require_schema()
    with session_scope() as session:
        user = update_user(session, name, actor=_actor(), role=role, active=active)
        typer.echo(f"{user.name}: {user.role}, {'active' if user.active else 'inactive'}")


APPLY_FILE_HELP = "JSON Lines: {url, status, headline_en, text_en, country, position, reject_reason}."


@review_app.command("apply")
def review_apply(
    file: Annotated[Path, typer.Argument(help=APPLY_FILE_HELP)],
    user: str = typer.Option(None, "--user", "-u", help="Record the changes as cli:USER (default cli:bulk)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would happen; write nothing."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when a line names no stored article."),
    partial: bool = typer.Option(
        False, "--partial", help="Apply the valid lines even if others are invalid (each on its own)."
    ),
) -> None:
    """Apply analyst decisions in bulk: each line finds its event by article URL. The file is
    checked first and applied all or nothing, unless --partial.

    Example: `newsmon review apply decisions.jsonl --user anna --dry-run`
    """
    from desk.decisions import apply_file
    from newsmon.cli.core import require_schema

    require_schema()
    report = apply_file(file, actor=f"cli:{user or 'bulk'}", dry_run=dry_run, partial=partial)
    for result in report.results:
        typer.echo(f"line {result.line}: {result.outcome}: {result.message}")
    typer.echo(("dry run: " if dry_run else "") + report.summary)
    if report.count("invalid") or (strict and report.count("not-found")):
        raise typer.Exit(1)
