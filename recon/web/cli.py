"""`recon serve`: run the web app on one store with uvicorn (docs/web.md)."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path

from recon.errors import ConfigError, StoreError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `serve` to the `recon` parser."""
    serve = subparsers.add_parser(
        "serve",
        help="the analysts' web app over one exception store",
        description="Serve the queue, exception pages, approvals, dashboard and audit log of"
        " one exception store to the users in that store (`recon users add`). The server holds"
        " no connection to the store between requests, so runs keep writing it.",
        epilog="The session key comes from RECON_SECRET_KEY, else ~/.recon/web_secret_key"
        " (created 0600). Behind a TLS proxy use --behind-proxy and bind to 127.0.0.1."
        " See docs/web.md.",
    )
    serve.add_argument(
        "--store",
        type=Path,
        help="the exception store: a DuckDB file or postgresql://user@host/db (default: config's)",
    )
    serve.add_argument("--config", type=Path, help="recon.toml ([sla], [privacy], [web], ...)")
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind ({DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port ({DEFAULT_PORT})")
    serve.add_argument(
        "--session-minutes",
        type=int,
        metavar="MINUTES",
        help="a login lasts at most this long (default: [web] session_minutes, 480)",
    )
    serve.add_argument(
        "--idle-minutes",
        type=int,
        metavar="MINUTES",
        help="a login ends after this long without a request (default: [web] idle_minutes, 30)",
    )
    serve.add_argument(
        "--behind-proxy",
        action="store_true",
        help="a TLS proxy forwards to this server: trust its X-Forwarded-Proto and"
        " X-Forwarded-For (only then are cookies marked Secure by the proxy's https)",
    )
    serve.set_defaults(handler=_serve)


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from recon.config import load_config
    from recon.store.location import location_of, looks_like_url, remember_password_file
    from recon.store.users import store_has_users
    from recon.web.app import create_app
    from recon.web.secret import load_secret_key
    from recon.web.settings import WebSettings

    config = load_config(args.config)
    store: Path | str = args.store or Path(config.store)
    if looks_like_url(store):  # a PostgreSQL store: a URL again, with the config's password
        remember_password_file(store, config.password_file)
        store = location_of(store).url
    session = config.web.session_minutes if args.session_minutes is None else args.session_minutes
    idle = config.web.idle_minutes if args.idle_minutes is None else args.idle_minutes
    for flag, value in (("--session-minutes", session), ("--idle-minutes", idle)):
        if value < 1:
            raise ConfigError(f"{flag} must be at least 1, got {value}")
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port must be 1 to 65535, got {args.port}")
    if not looks_like_url(store) and not Path(store).exists():
        raise StoreError(f"no exception store at {store} (a `recon run` with --store creates it)")
    if not store_has_users(store, wait_seconds=30):
        raise StoreError(
            f"{store} has no users yet, so nobody could sign in; add the team lead first:"
            f" recon users add NAME --role admin --store {store}"
        )
    settings = WebSettings(
        store_path=store,
        secret_key=load_secret_key(),
        config=config,
        session_minutes=session,
        idle_minutes=idle,
        behind_proxy=args.behind_proxy,
    )
    if not args.behind_proxy and not _loopback(args.host):
        print(
            f"recon serve: warning: plain HTTP on {args.host}: passwords and session cookies"
            " cross the network unencrypted; serve behind a TLS proxy (docs/web.md)",
            file=sys.stderr,
        )
    print(f"recon serve: http://{args.host}:{args.port}/ over {store}", file=sys.stderr)
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        proxy_headers=False,  # the app itself decides what to trust (--behind-proxy)
        server_header=False,
        log_level="info",
    )
    return 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
