"""Files the package ships: the stylesheet folder and the bundled sample page."""

from __future__ import annotations

from pathlib import Path

SAMPLE_NAME = "hf-papers-search-alignment.txt"


def styles_dir() -> Path:
    """``reader/styles`` in an installed wheel, the repository's ``styles/`` in a checkout."""
    packaged = Path(__file__).parent / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "styles"


def stylesheet() -> Path:
    return styles_dir() / "reader.tcss"


def sample_text() -> str:
    """The bundled text dump the reader opens when it has nothing else."""
    from importlib import resources  # ~2 ms of imports, paid only when the sample is opened

    return resources.files("reader").joinpath("sample", SAMPLE_NAME).read_text(encoding="utf-8")
