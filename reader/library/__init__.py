"""The user's data dir: marks, saved lists, the library's month shards, their atomic files
and lock, and the first-screen cache that lets a start paint before the store opens."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "store": ["Store"],
    "shards": ["Shards", "shard_of"],
    "marks": ["Marks"],
    "mark_records": ["Mark", "UNMARKED"],
    "saved_lists": ["SavedListing", "SavedLists"],
    "paper_docs": ["merge_papers", "paper_from_doc"],
    "data_dir": ["default_data_dir"],
    "storage": ["TMP_SUFFIX", "atomic_write"],
    "first_screen": ["FIRST_SCREEN_ROWS", "FirstScreen", "load_first_screen", "save_first_screen"],
})
