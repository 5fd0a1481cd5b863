"""Licence and citation: LICENSE (MIT), LICENSE-TEXT.md (CC BY 4.0), CITATION.cff, and the
'How to cite' of the preface and README agree with each other and with _config.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text())


def test_code_is_mit_and_text_is_cc_by_4():
    licence = (ROOT / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in licence
    assert f"Copyright (c) {CONFIG['copyright']} {CONFIG['author']}" in licence
    text = (ROOT / "LICENSE-TEXT.md").read_text()
    assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0/legalcode" in text
    assert CFF["license"] == "MIT" and CFF["preferred-citation"]["license"] == "CC-BY-4.0"


def test_citation_cff_follows_the_config():
    assert CFF["cff-version"] == "1.2.0" and CFF["message"]
    for required in ("title", "authors", "type"):
        assert CFF[required], required
    url = CONFIG["repository"]["url"]  # the one place the URL is written by hand
    assert CFF["repository-code"] == url and CFF["preferred-citation"]["url"] == url
    for entry in (CFF, CFF["preferred-citation"]):
        assert entry["title"] == CONFIG["title"]
        assert [a["name"] for a in entry["authors"]] == [CONFIG["author"]]
    assert str(CFF["preferred-citation"]["year"]) == CONFIG["copyright"]
    assert str(CFF["date-released"]).startswith(CONFIG["copyright"])


def test_how_to_cite_matches_citation_cff():
    cite = CFF["preferred-citation"]
    expected = f"{cite['authors'][0]['name']} ({cite['year']}). {cite['title']}."
    preface = (ROOT / "chapters" / "preface.md").read_text()
    section = preface.split("## How to cite", 1)[1].split("\n#", 1)[0]
    assert expected in section, "the preface's citation differs from CITATION.cff"
    assert "CITATION.cff" in section and "CC BY 4.0" in section and "MIT" in section
    readme = (ROOT / "README.md").read_text()
    assert expected in readme.replace("\n", " ").replace("*", "") and "CITATION.cff" in readme
