"""Command line: ``python -m gateway serve`` and ``python -m gateway create-agent``."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from typing import Optional, Sequence

from gateway.config import load_settings
from gateway.logs import configure_logging

logger = logging.getLogger(__name__)


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password again: ")
        if first != second:
            raise ValueError("the two passwords are different")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def create_agent_command(args: argparse.Namespace) -> int:
    """Create a desk account, reading the password from stdin or a prompt."""
    from gateway.accounts import create_agent
    from gateway.db import Database

    settings = load_settings()
    try:
        password = _read_password()
        database = Database(settings.database_url)
        database.create_tables()
        with database.session() as session:
            agent = create_agent(session, args.username, password, args.first_name, args.role, args.manager)
            agent_id = agent.id
    except ValueError as error:
        sys.stderr.write("create-agent failed: %s\n" % error)
        return 1
    sys.stdout.write("Created agent %s (id %d).\n" % (args.username.strip().lower(), agent_id))
    return 0


def serve_command(_args: argparse.Namespace) -> int:
    """Run the gateway until it is stopped."""
    from gateway.app import create_app

    settings = load_settings()
    app = create_app(settings)
    logger.info("gateway listening", extra={"event": "listen", "status": "%s:%d" % (settings.host, settings.port)})
    app.run(
        host=settings.host,
        port=settings.port,
        workers=1,
        access_log=settings.access_log,
        motd=False,
        debug=False,
        auto_reload=False,
    )
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(prog="python -m gateway", description="Resident assistant gateway and agent desk.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the gateway (address and port from config or GATEWAY_HOST and GATEWAY_PORT)")
    serve.set_defaults(handler=serve_command)

    create = commands.add_parser("create-agent", help="create a desk account; the password is read from stdin or a prompt")
    create.add_argument("--username", required=True, help="sign-in name, stored in lower case")
    create.add_argument("--first-name", required=True, help="first name shown to residents")
    create.add_argument("--role", required=True, help='job title shown to residents, such as "Customer adviser"')
    create.add_argument("--manager", action="store_true", help="allow the figures page")
    create.set_defaults(handler=create_agent_command)

    args = parser.parse_args(argv)
    configure_logging()
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
