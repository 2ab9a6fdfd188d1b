"""Where papers come from: Hugging Face's API, its HTML and text pages, the live client,
periods (days, weeks, months), links and the cleaning of untrusted text. Knows nothing of
the library."""

from reader.faces import lazy_face

__all__, __getattr__ = lazy_face(__name__, {
    "artefacts": ["KINDS", "Artefact", "Artefacts", "artefacts_from_json", "counts_summary", "parse_artefacts"],
    "clean": ["ABSTRACT_MAX", "NAME_MAX", "SHORT_MAX", "TITLE_MAX", "URL_MAX", "arxiv_id", "clean_optional",
              "clean_text", "safe_url", "truncate", "without_unsized"],
    "detect": ["NOT_PAPERS", "parse_document", "read_paper_file"],
    "full_text": ["FULL_TEXT_MAX", "FullText", "Section", "parse_full_text"],
    "links": ["PaperLink", "find_urls", "is_code_host", "paper_links", "pick_links"],
    "live": ["BASE_URL_ENV", "FULL_TEXT_BYTES", "FetchResult", "LiveSource"],
    "parse_api": ["iso_date", "paper_from_api", "papers_from_api"],
    "parse_html": ["HtmlPage", "parse_html"],
    "parse_text": ["parse_text_dump"],
    "periods": ["Period"],
})
