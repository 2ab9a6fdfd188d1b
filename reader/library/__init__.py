"""The user's data dir: marks, saved lists, the library's month shards, their atomic files
and lock, and the first-screen cache that lets a start paint before the store opens."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "store": ["SavedListing", "Store", "merge_papers", "paper_from_doc", "shard_of"],
    "marks": ["Marks"],
    "mark_records": ["Mark", "UNMARKED"],
    "data_dir": ["default_data_dir"],
    "storage": ["TMP_SUFFIX", "atomic_write"],
    "first_screen": ["FIRST_SCREEN_ROWS", "FirstScreen", "load_first_screen", "save_first_screen"],
})
