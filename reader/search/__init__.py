"""Finding papers: the search language, the token index over a list, its bitsets, and the
library's index kept on disk between sessions."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "query": ["MarkLike", "Query", "Term", "field_text", "highlight_spans", "matches", "parse_query", "scan"],
    "index": ["IndexPart", "MarkSource", "SearchIndex"],
    "index_cache": ["load_or_build"],
    "database_index": ["DatabaseIndex", "is_indexable"],
})
