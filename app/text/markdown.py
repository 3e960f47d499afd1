"""Put data into Streamlit markdown as plain text.

``st.markdown``, ``st.caption``, ``st.info`` and friends render markdown: an imported employer name
``[여기](http://evil)`` or ``![](http://tracker/pixel.png)`` would become a link or an external
image for the reviewer, ``**`` would restyle the page and ``:red[…]`` or ``:material/…:`` would run
Streamlit's own directives. CommonMark lets any ASCII punctuation be escaped with a backslash, so
every character that markdown, GFM or Streamlit gives a meaning is escaped (:data:`MARKDOWN_SPECIAL`);
line breaks become spaces so that data cannot start a heading, list or code block.
"""

from __future__ import annotations

from typing import Final

__all__ = ["escape_markdown"]

# Every ASCII character that starts or closes markdown, GFM or Streamlit syntax: emphasis, code, links
# and images, headings, lists, tables, HTML, directives (``:red[…]``, ``:material/…:``), LaTeX, and
# the ``:``/``.`` of bare ``http://`` and ``www.`` links, which GFM turns into links by itself.
# Other punctuation (``,``, ``/``, quotes) means nothing to markdown and is left readable.
MARKDOWN_SPECIAL: Final = "\\`*_{}[]()#+-.!|<>~:$=&"
_ESCAPES: Final = {ord(c): "\\" + c for c in MARKDOWN_SPECIAL}
# Line and paragraph separators and other breaks that markdown or the browser treat as new lines.
_BREAKS: Final = {ord(c): " " for c in "\r\n\u2028\u2029\x0b\x0c\x85"}


def escape_markdown(value: object, *, one_line: bool = True) -> str:
    """``value`` as text that markdown shows literally.

    Args:
        value: Data to show (any type; ``None`` becomes an empty string).
        one_line: Turn line breaks into spaces (for data inside a sentence, a label or a heading).
            ``False`` keeps ``\n`` for callers that lay out lines themselves (escaped punctuation
            cannot start a heading, list or quote on a new line either).

    Returns:
        The text with every markdown-significant character backslash-escaped and NUL characters
        removed.
    """
    if value is None:
        return ""
    text = str(value).replace("\x00", "")
    if one_line:
        text = text.translate(_BREAKS)
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.translate(_ESCAPES)
