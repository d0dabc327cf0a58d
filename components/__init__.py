"""Custom Rasa graph components of the council assistant."""
