"""Between meetings: roster import/export, action tracker, search and trends (no Textual)."""
