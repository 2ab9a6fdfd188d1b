"""The wheel carries the stylesheets and the bundled sample, and the installed package finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_the_wheel_ships_styles_and_sample(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("paper_reader-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    tcss = sorted(n for n in names if n.endswith(".tcss"))
    assert tcss and all(n.startswith("reader/styles/") for n in tcss)
    assert {f"reader/styles/{p.name}" for p in (ROOT / "styles").glob("*.tcss")} == set(tcss)
    assert "reader/sample/hf-papers-search-alignment.txt" in names

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    probe = subprocess.run(
        [sys.executable, "-c",
         "import reader.resources as r; print(r.stylesheet()); print(len(r.sample_text()))"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
    )
    assert probe.returncode == 0, probe.stderr
    stylesheet, sample_size = probe.stdout.split()
    assert Path(stylesheet) == target / "reader" / "styles" / "reader.tcss"
    assert Path(stylesheet).is_file()
    assert int(sample_size) > 50_000
