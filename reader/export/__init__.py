"""Papers written out for other tools: JSON, Markdown, BibTeX and CSV, filtered by mark."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "render": ["bibtex_entry", "filter_papers", "render_parts"],
    "output": ["refuse_data_dir", "write_export"],
    "copy_as": ["COPY_AS", "CopyChoice", "copy_choice"],
})
