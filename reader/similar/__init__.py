"""Likeness between papers, computed locally: TF-IDF over titles and abstracts, kept in the
library's database and taught the library incrementally, for "more like this" and the
"for you" order."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "likeness": ["Likeness", "Match"],
    "learning": ["Text"],
    "source": ["library_texts", "texts_of"],
    "ranking": ["bookmarked_keys", "for_you", "rank_by_liking"],
    "terms": ["term_counts", "words"],
})
