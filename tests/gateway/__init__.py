"""Tests for the gateway and the agent desk."""
