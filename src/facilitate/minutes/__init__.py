"""Minutes export: Markdown, HTML, Word and calendar formats."""
