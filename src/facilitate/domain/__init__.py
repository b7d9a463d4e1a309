"""Pure domain model and rules. No I/O, no UI, no storage imports here."""
