"""Sphinx extension: emit each script of a page once.

Jupyter Book 1 fires ``env-before-read-docs`` twice, and sphinx-thebe registers its inline
configuration (``const THEBE_JS_URL = ...``) on that event, so every page declared the same
``const`` twice and the browser raised "Identifier 'THEBE_JS_URL' has already been declared".
(sphinx's own de-duplication misses them: one copy has filename ``None``, the other ``""``).
Dropping exact duplicates (same file, same inline body, same attributes) fixes the cause for any
extension that registers a script twice.
"""

from __future__ import annotations

from typing import Any


def _key(script: Any) -> tuple:
    # The same inline script is registered once with filename None and once with "": one script.
    filename = str(getattr(script, "filename", script) or "")
    attributes = getattr(script, "attributes", {}) or {}
    return (filename, tuple(sorted((k, str(v)) for k, v in attributes.items())))


def drop_duplicate_scripts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
