"""Gateway for the Shropshire Council resident assistant.

The gateway owns every conversation: it serves the website and widget, talks to residents over
socket.io, forwards their messages to Rasa or to an agent, and runs the agent desk.
"""
