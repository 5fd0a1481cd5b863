"""Deprecated name of :mod:`book.viz.explorer`, kept so that old notebooks still run."""

from book.viz.explorer import *
from book.viz.explorer import CARD_STYLE, IMG_CLASS
