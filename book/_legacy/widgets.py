"""Deprecated: ``book.widgets`` is now :mod:`book.viz.explorer`; this name keeps old notebooks working."""

from book.viz.explorer import *  # noqa: F403
from book.viz.explorer import CARD_STYLE, IMG_CLASS  # noqa: F401
