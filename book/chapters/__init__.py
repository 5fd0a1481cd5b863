"""One module per chapter, named by the notebook's slug: its tables, figures, alt texts and explorer.

``chapters/NN_<slug>.ipynb`` imports ``book.chapters.<slug>``; its self-checks are
``book.exercises.<slug>`` and its claim tests ``tests/claims/test_<slug>.py``.
A chapter module composes the library (:mod:`book.models`, :mod:`book.objectives`,
:mod:`book.viz`); it holds what only that chapter needs.
"""

__all__: list[str] = []  # a namespace: import the chapter modules themselves
