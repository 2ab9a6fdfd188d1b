"""The user's data dir: the Store that opens it and its parts (marks, saved lists, the
library's papers in ``library.sqlite3``), the paper documents they store, their atomic
files and lock, and the first-screen cache that lets a start paint before the store opens."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "store": ["Store"],
    "marks": ["Marks"],
    "mark_records": ["MARKS_PENDING", "Mark", "Tally", "UNMARKED"],
    "saved_lists": ["SavedListing", "SavedLists"],
    "paper_table": ["PaperTable"],
    "artefact_table": ["MAX_AGE", "ArtefactTable", "KeptArtefacts"],
    "paper_rows": ["LibraryPaper", "month_of", "shard_of"],
    "paper_docs": ["merge_papers", "paper_from_doc"],
    "data_dir": ["default_data_dir"],
    "storage": ["TMP_SUFFIX", "atomic_write", "load_json"],
    "full_texts": ["FullTexts"],
    "database": ["DATABASE_FILE", "connect", "database_path", "describe", "ensure_schema"],
    "first_screen": ["FIRST_SCREEN_ROWS", "FirstScreen", "load_first_screen", "newest_first_screen", "save_first_screen"],
})
