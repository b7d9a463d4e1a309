"""Several people on one workspace: the follow view, merging notes, the audit log (no Textual)."""
