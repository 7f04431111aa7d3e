"""``python -m rollcall``: the command line, also as a file that ``spark-submit`` can run
(docs/scale.md)."""

from rollcall.cli import main

main()
