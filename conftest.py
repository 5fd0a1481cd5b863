"""Every pytest run here executes chapters as the book stores them (nbval compares with those).

A displayed explorer embeds every frame of its static view only when ``BOOK_EXPLORER_FRAMES``
is ``"all"`` (see :mod:`book.viz.explorer`); in a reader's kernel it embeds the default frame
only. nbval re-runs the chapters and compares with the stored outputs, which
``scripts/execute_notebooks.py`` wrote with every frame, so the kernels it starts need the same
setting. The JupyterLab tests (tests/lab) start their server without it: they run the chapters
as a student does.
"""

import os

os.environ.setdefault("BOOK_EXPLORER_FRAMES", "all")
