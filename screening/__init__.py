"""Rule-based screening of resident messages, shared by the NLU pipeline and the actions."""
