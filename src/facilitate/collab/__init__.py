"""Several people on one workspace: follow view support, audit log listing (no Textual)."""
