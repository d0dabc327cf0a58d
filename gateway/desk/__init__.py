"""The agent desk: server-rendered pages under /desk for agents and managers."""
