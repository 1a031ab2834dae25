"""Every user-facing error, one catalogue, each with a code.

Readers and stages raise `DyadError(code, where, **details)`; the CLI prints
`where: [code] message` and the run goes on with the next document.
"""

from __future__ import annotations

CATALOGUE = {
    # input (E1xx)
    "E101": "file not found",
    "E102": "empty input",
    "E103": "binary content (NUL bytes), not text",
    "E104": "not valid UTF-8 text (first bad byte at offset {offset})",
    "E105": "unknown file type '{ext}' (expected .txt, .html, .htm, .jsonl, .warc, .rss, "
    ".atom, .xml, their .gz forms, or a directory)",
    "E106": "malformed JSON: {detail}",
    "E107": "record has no text",
    "E108": "record is not a JSON object",
    "E109": "bad date '{value}' (expected YYYY-MM-DD)",
    "E110": "no article text found in HTML",
    "E111": "document is over the size limit (max_doc_chars = {limit}): {size} characters",
    "E112": "not a readable gzip file: {detail}",
    "E113": "cannot read file: {detail}",
    "E114": "input is over the size limit (max_input_bytes = {limit}): {size} bytes",
    "E115": "text is not valid Unicode (a lone surrogate at character {offset})",
    "E130": "WARC file broken or cut short at record offset {offset}: {detail}",
    "E131": "not an RSS or Atom feed: {detail}",
    "E132": "could not fetch: {detail}",
    "E133": "bad interval '{value}' (expected a positive number with s, m or h, e.g. 15m)",
    # engines (E15x)
    "E151": "the worker coding this document failed: {detail}",
    "E152": "worker could not start: {detail}",
    # dictionaries and knowledge (E2xx)
    "E201": "dictionary line not understood: {detail}",
    "E202": "unknown CAMEO code '{value}'",
    "E203": "duplicate pattern: {detail}",
    "E204": "dictionary file type not recognised: {detail}",
    "E205": "verb pattern uses the undefined synonym set '{name}'",
    "E206": "unknown --verbs choice '{value}' (own, dictionary or both)",
    "E230": "evaluator not available: {detail}",
    "E231": "unknown gold set '{name}' (known: {known})",
    # pipeline and store (E3xx)
    "E301": "spaCy pipeline '{name}' is not installed (tried: {tried})",
    "E302": "coding failed: {detail}",
    "E303": "unknown output format '{value}'",
    "E304": "gold data not found at {path}",
    "E305": "unknown generalise setting '{value}' (known: {known})",
    "E306": "generalise = '{name}' needs its data: pip install 'dyad[{extra}]'",
    "E307": "sentences over the length limit, not coded (max_sentence_tokens = {limit}): "
    "{count} of {total}, the longest {tokens} tokens",
    "E308": "coding stopped at the time limit (max_parse_seconds = {limit}): {seconds} s spent "
    "by sentence {index}",
    "E401": "event {event_id} belongs to document '{other}', not '{doc_id}'",
    "E402": "parquet output needs a directory path, not '{value}'",
    "E403": "the store {path} stayed locked by another process: {detail}",
    # duplicates and mentions (E14x)
    "E141": "a document cannot be a duplicate of itself",
    "E142": "the mentions format needs mention records (Store.mentions())",
    # serving and plotting (E6xx)
    "E601": "no store at {path}",
    "E602": "bad {name} '{value}' (expected {expected})",
    "E603": "bad plot output '{value}' (expected a .png, .svg or .pdf file)",
    "E604": "no events match these filters: nothing to plot",
}


class DyadError(Exception):
    def __init__(self, code: str, where: str = "", **details):
        self.code = code
        self.where = where
        self.details = details
        self.reason = CATALOGUE[code].format(**details)
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}[{self.code}] {self.reason}"
