"""Export formats, one module each; every module has `render(articles, **context)` yielding
str (or bytes when `binary`), plus `content_type` and `extension`."""

from . import brat, claimreview, conll, csv_rows, jsonl, w3c

FORMATS = {
    "jsonl": jsonl,
    "csv": csv_rows,
    "w3c": w3c,
    "conll": conll,
    "brat": brat,
    "claimreview": claimreview,
}
