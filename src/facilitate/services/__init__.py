"""Services: build on domain + storage. No Textual here."""
