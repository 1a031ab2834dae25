"""Body versus boilerplate, for plain text and HTML."""

from dyad.clean.boilerplate import strip_boilerplate
from dyad.clean.html import extract_html
from dyad.model import Document

__all__ = ["clean_document", "extract_html", "strip_boilerplate"]


def clean_document(doc: Document) -> Document:
    """Fill `body` and `boilerplate` of a document from its text; returns the same object."""
    doc.body, doc.boilerplate = strip_boilerplate(doc.text)
    return doc
