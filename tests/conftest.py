"""Shared pytest set-up: the real servers are provided by the plugins in tests/fixtures/."""

pytest_plugins = ["tests.fixtures.rasa_stack", "tests.fixtures.gateway_stack"]
