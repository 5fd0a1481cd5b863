"""Everything the reader sees: the only package of ``book`` that imports matplotlib or ipywidgets.

==============  =================================================================
palette         the Okabe–Ito palette, white-background figures
dag             causal graphs drawn with patches, and described for alt text
graphs          an SCM's graph or twin network as a figure with generated alt text
display         figures as outputs with alt text and caption, deterministic PNG bytes
explorer        interactive figures: a live widget in Jupyter, static frames in the book
frontier        frontier figures in one visual language (invariant / not / selected)
tables          tables as outputs with a caption (HTML <caption> and text)
==============  =================================================================
"""

from book.viz.display import ShownFigure, show
from book.viz.explorer import Explorer, Slider
from book.viz.graphs import show_scm, show_twin
from book.viz.palette import PALETTE, SERIES, Figure, new_figure
from book.viz.tables import table

__all__ = ["PALETTE", "SERIES", "Explorer", "Figure", "ShownFigure", "Slider", "new_figure", "show", "show_scm",
           "show_twin", "table"]
