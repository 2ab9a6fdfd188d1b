"""The reading session: which list to show and where it comes from (live, a file, the
sample, the library, with the same offline fallbacks for the UI and ``export``), and how
one list is being read (filters, counts, cursor)."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "loader": ["LIBRARY_TITLE", "SAMPLE_TITLE", "Listing", "Request", "load", "sample_papers"],
    "reading": ["INDEXED_FROM", "Counts", "HubKnowledge", "MarkKeeper", "MarkWriter", "ReadingSession", "build_index"],
    "loading": ["LibraryStream", "library_listing", "load_in_worker"],
    "full_text": ["FullTextResult", "get_full_text"],
    "artefacts": ["ArtefactLookup", "HubNote", "LookupOutcome"],
    "views": ["VIEW_NAMES", "Rank", "SortOrder", "View", "Views", "period_of", "sort_orders"],
    "undo": ["MarkChange", "MarkUndo"],
})
