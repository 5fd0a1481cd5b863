"""book.viz.table: a caption in the HTML and in the text, and clear errors."""

import pandas as pd
import pytest

from book.viz import table


def test_caption_is_the_first_child_of_the_table_and_leads_the_text():
    shown = table(pd.DataFrame({"gap": [0.25, 0.0]}, index=["parity", "path"]), "Gaps <of> two rules")
    html = shown._repr_html_()
    assert html.count("<caption>") == 1
    assert html.index("<caption>Gaps &lt;of&gt; two rules</caption>") == html.index(">", html.index("<table")) + 1
    assert repr(shown).splitlines()[0] == "Gaps <of> two rules"
    assert "0.25" in repr(shown) and "0.25" in html


@pytest.mark.parametrize("caption", ["", "   ", None])
def test_an_empty_caption_is_refused(caption):
    with pytest.raises(ValueError, match="caption"):
        table(pd.DataFrame({"a": [1]}), caption)


def test_a_non_frame_is_refused_by_name():
    with pytest.raises(ValueError, match="list"):
        table([1, 2], "numbers")


def test_captioned_html_refuses_html_without_a_table_and_an_empty_caption():
    from book.captions import captioned_html

    with pytest.raises(ValueError, match="no <table>"):
        captioned_html("<p>x</p>", "a caption")
    with pytest.raises(ValueError, match="caption"):
        captioned_html("<table></table>", " ")


def test_the_audit_and_book_viz_table_share_one_captioning_function():
    import book.audits
    import book.viz.tables
    from book.captions import captioned_html

    assert book.audits.captioned_html is captioned_html is book.viz.tables.captioned_html
