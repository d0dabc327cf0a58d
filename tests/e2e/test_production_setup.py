"""The production set-up: Rasa with the PostgreSQL tracker store and the Redis lock store.

Uses the servers at 127.0.0.1:5432 (database `test`, trust authentication) and 127.0.0.1:6379.
Each test skips with the reason when a server is not reachable.
"""

import os
import socket
import sys
import uuid
from pathlib import Path

import pytest
import requests
import sqlalchemy

from tests.fixtures.rasa_stack import PROJECT_ROOT, free_port, start_process, stop_process, wait_until_ready

POSTGRES = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)


def reachable(address) -> bool:
    try:
        with socket.create_connection(address, timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def production_rasa(trained_model: Path, rasa_stack, tmp_path_factory):
    """A Rasa server started with endpoints.production.yml against local PostgreSQL and Redis."""
    if not reachable(POSTGRES):
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432, so the production tracker store cannot be tested")
    if not reachable(REDIS):
        pytest.skip("Redis is not running on 127.0.0.1:6379, so the production lock store cannot be tested")
    port = free_port()
    log_file = tmp_path_factory.mktemp("production_rasa") / "rasa.log"
    environment = {
        "ACTION_ENDPOINT_URL": rasa_stack.action_url,
        "TRACKER_DB_HOST": POSTGRES[0], "TRACKER_DB_PORT": str(POSTGRES[1]), "TRACKER_DB_NAME": "test",
        "TRACKER_DB_USER": os.environ.get("PGUSER", "postgres"), "TRACKER_DB_PASSWORD": "",
        "REDIS_HOST": REDIS[0], "REDIS_PORT": str(REDIS[1]), "REDIS_DB": "1",
    }
    process = start_process(
        [str(Path(sys.executable).parent / "rasa"), "run", "--model", str(trained_model),
         "--endpoints", "endpoints.production.yml", "--credentials", "credentials.yml",
         "--interface", "127.0.0.1", "--port", str(port)],
        log_file, environment,
    )
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/", process, log_file)
        yield f"http://127.0.0.1:{port}", environment
    finally:
        stop_process(process)


def test_postgres_tracker_store_records_conversation(production_rasa):
    url, environment = production_rasa
    sender = f"production-{uuid.uuid4().hex}"

    reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": "how do I pay council tax"},
                          timeout=60).json()

    assert any(entry.get("custom", {}).get("lgsl") == 57 for entry in reply)
    engine = sqlalchemy.create_engine(
        f"postgresql://{environment['TRACKER_DB_USER']}@{POSTGRES[0]}:{POSTGRES[1]}/test"
    )
    with engine.begin() as connection:
        count = connection.execute(
            sqlalchemy.text("SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'user'"),
            {"sender": sender},
        ).scalar()
        connection.execute(sqlalchemy.text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender})
    assert count == 1
