"""`python -m reader` runs the same command line as `paper-reader`."""

from reader.cli import main

raise SystemExit(main())
