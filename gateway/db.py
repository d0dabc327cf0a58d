"""Database engine and sessions."""

from __future__ import annotations

import contextlib
import logging
from typing import Any, Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from gateway.models import Base

logger = logging.getLogger(__name__)


def _enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the desk read while the resident side writes; busy_timeout waits out short locks.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class Database:
    """Engine plus session factory; tables are created on start."""

    def __init__(self, url: str, **engine_options: Any) -> None:
        """Create the engine for ``url``.

        Args:
            url: SQLAlchemy URL, ``sqlite:///...`` or ``postgresql://...``.
            **engine_options: Extra ``create_engine`` options, such as ``connect_args``.
        """
        self.url = url
        options: dict[str, Any] = {"future": True, **engine_options}
        if url.startswith("sqlite"):
            options.setdefault("connect_args", {"check_same_thread": False})
        else:
            options.setdefault("pool_pre_ping", True)
        self.engine: Engine = create_engine(url, **options)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _enable_sqlite_pragmas)
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False, future=True)

    def create_tables(self) -> None:
        """Create any missing tables; existing tables and rows are kept."""
        Base.metadata.create_all(self.engine)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session that commits on success and rolls back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> bool:
        """Return True when a trivial query succeeds."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any driver error means the database is unavailable
            logger.exception("database ping failed")
            return False

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()
