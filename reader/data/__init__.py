"""The reader's data layer: parsing, fetching, searching and the store. No Textual here."""
