"""Custom actions of the council assistant; rasa-sdk registers every Action subclass found here."""
