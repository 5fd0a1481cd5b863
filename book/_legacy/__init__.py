"""The flat module names of the book's first edition (``book.scms``, ``book.hiring``, ...), deprecated.

``book/__init__.py`` adds this folder to the package's search path, so a saved
notebook's ``from book.hiring import ...`` still works, without a warning. Each
module only re-exports from the module that now holds its names; see the
table in CONTRIBUTING.md. New code imports from the new homes.
"""
