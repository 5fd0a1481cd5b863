"""The bibliography: every entry identifiable, every citation and glossary term resolvable."""

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BIB = (ROOT / "references.bib").read_text()
ENTRIES = dict(
    (m.group(2), m.group(3)) for m in re.finditer(r"@(\w+)\{([^,\s]+),(.*?)\n\}", BIB, re.S)
)
# No DOI or arXiv version could be verified for these (1994/2005 proceedings without DOIs, a
# NeurIPS 2019 paper without an arXiv version, two books). Each keeps a stable URL or venue
# details; do not add to this list without checking the source.
NO_IDENTIFIER = {
    "balke1994probabilistic", "avin2005identifiability", "wick2019unlocking", "pearl2018book", "peters2017elements",
    "groemping2019south",
}


def chapter_texts():
    for path in sorted((ROOT / "chapters").iterdir()):
        if path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            yield path, "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        elif path.suffix == ".md":
            yield path, path.read_text()


def test_entries_have_doi_or_arxiv_id():
    assert len(ENTRIES) >= 30
    for key, body in ENTRIES.items():
        has_id = re.search(r"\bdoi\s*=\s*\{10\.\d{4,}/\S+\}", body) or re.search(
            r"\beprint\s*=\s*\{\d{4}\.\d{4,5}\}", body
        )
        if key in NO_IDENTIFIER:
            assert not has_id, f"{key} now has an identifier: remove it from NO_IDENTIFIER"
            assert re.search(r"\b(url|booktitle|publisher)\s*=", body), key
        else:
            assert has_id, f"{key}: add a DOI or an arXiv eprint id"


def test_every_citation_resolves():
    for path, text in chapter_texts():
        for group in re.findall(r"\{cite\}`([^`]+)`", text):
            for key in group.split(","):
                assert key.strip() in ENTRIES, f"{path.name} cites unknown {key!r}"


def test_every_cited_source_of_the_thesis_is_the_paper():
    # The book cites the position paper for its thesis in the preface and in chapter 2.
    texts = dict((p.name, t) for p, t in chapter_texts())
    assert "binkyte2026position" in texts["preface.md"]
    assert "binkyte2026position" in texts["02_trustworthiness_as_invariance.ipynb"]


def glossary_terms():
    text = (ROOT / "chapters" / "glossary.md").read_text()
    body = text.split(":::{glossary}", 1)[1].split("\n:::", 1)[0]
    return [line.strip() for line in body.splitlines() if line.strip() and not line.startswith((" ", "\t"))]


def drop_code_blocks(text):
    """Remove fenced code blocks; keep the prose inside directive fences such as ```{exercise}."""
    kept, stack = [], []  # stack of (fence, is_code)
    for line in text.splitlines():
        fence = re.match(r"^\s*(`{3,}|~{3,}|:{3,})(.*)$", line)
        if fence and stack and fence.group(1) == stack[-1][0] and not fence.group(2).strip():
            stack.pop()
        elif fence:
            is_code = not fence.group(2).strip().startswith("{")
            stack.append((fence.group(1), is_code or any(code for _, code in stack)))
        elif not any(code for _, code in stack):
            kept.append(line)
    return "\n".join(kept)


def linkable_prose(text):
    """Markdown prose where a {term} link could stand: no code, math, headings or citations."""
    text = re.sub(r"^#.*$", " ", text, flags=re.M)  # headings are not linked
    text = drop_code_blocks(text)
    text = re.sub(r"\$\$.*?\$\$|\$[^$\n]*\$", " ", text, flags=re.S)  # math
    text = re.sub(r"\{(cite|doc)\}`[^`]*`", " ", text)
    text = re.sub(r"(?<!\})`[^`\n]*`", " ", text)  # inline code, but not a role's target
    return re.sub(r"\s+", " ", text)


def test_every_glossary_term_resolves_and_is_linked_at_first_use():
    terms = glossary_terms()
    assert len(terms) >= 30
    lowered = {t.lower() for t in terms}
    unlinked = []
    for path, text in chapter_texts():
        if path.name in {"glossary.md", "bibliography.md"}:
            continue
        for role in re.findall(r"\{term\}`([^`]+)`", text):
            target = re.search(r"<([^>]+)>$", role)
            assert (target.group(1) if target else role).strip().lower() in lowered, f"{path.name}: {role}"
        prose = linkable_prose(text)
        for term in terms:
            first = re.search(r"(?<![\w-])" + re.escape(term) + r"(s|es)?(?![\w-])", prose, re.I)
            if not first:
                continue
            role_start = prose.rfind("{term}`", 0, first.start())
            role_end = prose.find("`", role_start + 7) if role_start >= 0 else -1
            if not (role_start >= 0 and role_end >= first.end()):
                unlinked.append(f"{path.name}: {term!r} in '...{prose[max(0, first.start() - 40):first.end()]}'")
    assert unlinked == [], "link each term's first use with {term}:\n" + "\n".join(unlinked)


def test_every_glossary_term_is_used_in_the_book():
    used = set()
    for path, text in chapter_texts():
        if path.name != "glossary.md":
            for role in re.findall(r"\{term\}`([^`]+)`", text):
                target = re.search(r"<([^>]+)>$", role)
                used.add((target.group(1) if target else role).strip().lower())
    unused = {t for t in glossary_terms() if t.lower() not in used}
    assert unused == set(), f"glossary terms no page links to: {sorted(unused)}"
