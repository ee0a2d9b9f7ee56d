"""Tesseract's TSV as text a reader can read and search: its words, with their boxes, grouped
into paragraphs as printed, in reading order.

Tesseract numbers blocks, paragraphs, lines and words. Its paragraphs follow the page, but on
typescripts and forms it often cuts one printed paragraph into several blocks (a carbon copy's
smudge, a margin rule): "…to organise the murder of" and "President Kennedy." come out as two
blocks. So Tesseract's paragraphs are kept whole, in Tesseract's order (which reads a column
before the next), and a paragraph is joined to the one before it when its first line sits
directly under that one's last line (no blank line between) in the same column. A word split by
a hyphen at a line end is joined when the joined word is known (found elsewhere on the page or
in the document), else kept hyphenated ("well-known").

Each kept word keeps its box (in the OCR image's pixels) and confidence: ``words`` rows are
``[text, x, y, w, h, confidence, paragraph, line]``; the second half of a joined word has text
``""``, so that a search that finds "organise" lights both halves.
"""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from collections.abc import Iterable
from pathlib import Path

# a line goes on the paragraph above when it is less than this many line spacings below it
SAME_PARAGRAPH_STEP = 1.5
# a "word" with no letter or digit is a rule, a margin or a speck, not text; these are kept
_PUNCTUATION = {"—", "–", "&", "§", "%", "$", "£", "№", "•", "*", "?", "!"}
_EDGES = "|¦[]{}_~=<>\\/"
_LETTERS = re.compile(r"\w", re.UNICODE)
_HYPHEN = ("-", "¬", "\u00ad")
_ENDS = (".", "!", "?", ":", ".”", ".\"")
_TITLE_LINE = re.compile(r"^\s*(SUBJECT|SUBJ|RE|TITLE|ТЕМА|ПРЕДМЕТ)\s*[:.]\s*(.{6,})$",
                         re.IGNORECASE | re.MULTILINE)
_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\.?,?\s+(1[6-9]\d\d|20\d\d)\b",
                   re.IGNORECASE)
_DATE_US = re.compile(r"\b(" + "|".join(_MONTHS) + r")\.?\s+(\d{1,2}),?\s+(1[6-9]\d\d|20\d\d)\b",
                      re.IGNORECASE)
_NEXT_LABEL = re.compile(r"\s(?:DATE|FROM|TO|REF|ДАТА|ОТ|КОМУ)\s*[:.]\s")
# what scanners and PDF makers put in /Title when nobody wrote one
_DEFAULT_TITLE = re.compile(r"^(untitled|scan|scanned|image|img|document|doc|page|microsoft "
                            r"word - .*|\S+\.(tiff?|jpe?g|png|pdf|docx?))[\s_\-\d]*$",
                            re.IGNORECASE)


def _clean(text: str) -> str:
    return text.strip().strip(_EDGES).strip()


def _is_noise(text: str, conf: float) -> bool:
    if not text:
        return True
    letters = _LETTERS.findall(text)
    if not letters:
        return text not in _PUNCTUATION
    return conf < 10 and len(letters) <= 2  # a speck read as "z" or "oO"


def layout(tsv: str) -> tuple[list[list], int, int, float | None]:
    """(word rows, page width, page height, mean word confidence) of Tesseract's TSV."""
    width = height = 0
    confidences: list[float] = []
    lines: dict[tuple[str, str, str], list[list]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        try:
            level, conf = int(row["level"]), float(row.get("conf") or -1)
            box = [int(row[k]) for k in ("left", "top", "width", "height")]
        except (KeyError, TypeError, ValueError):
            continue
        if level == 1:
            width, height = box[2], box[3]
        raw = (row.get("text") or "").strip()
        if level != 5 or not raw or conf < 0:
            continue
        confidences.append(conf)
        text = _clean(raw)
        if _is_noise(text, conf):
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        lines.setdefault(key, []).append([text, *box, round(conf, 1)])
    words = _paragraphs(list(lines.items()))
    mean = sum(confidences) / len(confidences) if confidences else None
    return words, width, height, mean


def _box(words: list[list]) -> tuple[int, int, int, int]:
    return (min(w[1] for w in words), min(w[2] for w in words),
            max(w[1] + w[3] for w in words), max(w[2] + w[4] for w in words))


def _centre(words: list[list]) -> float:
    """A line's height on the page: the median of its words' centres (a skewed line, or one
    speck above it, makes its box far taller than its type)."""
    return statistics.median(w[2] + w[4] / 2 for w in words)


def _paragraphs(lines: list[tuple[tuple[str, str, str], list[list]]]) -> list[list]:
    """Word rows numbered by paragraph and line, Tesseract's paragraphs joined where the page
    shows one paragraph."""
    if not lines:
        return []
    # the page's line spacing: between lines Tesseract put in one paragraph, else from the
    # type's height (single spacing is about 1.4 times it)
    steps = [_centre(b) - _centre(a) for (ka, a), (kb, b) in zip(lines, lines[1:], strict=False)
             if ka[:2] == kb[:2] and _centre(b) > _centre(a)]
    type_height = statistics.median(w[4] for _, ws in lines for w in ws) or 1
    spacing = statistics.median(steps) if steps else 1.4 * type_height
    groups: list[list[list[list]]] = []  # paragraph → lines → words
    last_key = None
    for key, words in lines:
        if not groups:
            join = False
        elif key[:2] == last_key[:2]:  # Tesseract's paragraph, unless a blank line cuts it
            join = _centre(words) - _centre(groups[-1][-1]) < SAME_PARAGRAPH_STEP * spacing
        else:  # Tesseract's next paragraph or block: one paragraph when the page shows one
            above = groups[-1][-1]
            join = (_continues(above, words, spacing)
                    and _box(words)[0] - _box(above)[0] < type_height  # not indented
                    # Tesseract's own paragraph break after a sentence's end stands
                    and not (key[0] == last_key[0] and above[-1][0].endswith(_ENDS)))
        if join:
            groups[-1].append(words)
        else:
            groups.append([words])
        last_key = key
    rows = []
    line_n = 0
    for par_n, group in enumerate(groups):
        for words in group:
            rows.extend([*w, par_n, line_n] for w in words)
            line_n += 1
    return rows


def _continues(above: list[list], below: list[list], spacing: float) -> bool:
    """``below`` goes on the paragraph ``above`` ends: the next line down (no blank line
    between), in the same column."""
    a, b = _box(above), _box(below)
    step = _centre(below) - _centre(above)
    overlap = min(a[2], b[2]) - max(a[0], b[0])
    narrower = min(a[2] - a[0], b[2] - b[0]) or 1
    return 0.5 * spacing < step < SAME_PARAGRAPH_STEP * spacing and overlap > 0.5 * narrower


def _key(word: str) -> str:
    return "".join(_LETTERS.findall(word)).casefold()


def vocabulary(words_of_pages: Iterable[list[list]]) -> set[str]:
    """The words (case-folded, letters only) of a page or a document."""
    return {_key(w[0]) for words in words_of_pages for w in words if w[0]}


def join_hyphens(words: list[list], known: set[str]) -> None:
    """Join, in place, a word split by a hyphen at a line end: without the hyphen when the
    joined word is known ("informa-" "tion"), else with it ("Soviet-" "American"); the second
    half's text becomes ''."""
    for i in range(len(words) - 1):
        a, b = words[i], words[i + 1]
        if not (a[0].endswith(_HYPHEN) and len(a[0]) > 1 and b[0] and a[6] == b[6]
                and a[7] != b[7] and b[0][0].isalpha()):
            continue
        joined = a[0][:-1] + b[0]
        if b[0][0].islower() and _key(joined) in known:
            a[0], b[0] = joined, ""
        else:
            a[0], b[0] = a[0][:-1] + "-" + b[0], ""  # "well-" "known": one word, hyphenated


def paragraphs(words: list[list]) -> list[str]:
    """The paragraphs' texts, words joined by spaces."""
    out: dict[int, list[str]] = {}
    for w in words:
        if w[0]:
            out.setdefault(w[6], []).append(w[0])
    return [" ".join(ws) for _, ws in sorted(out.items())]


def document_paragraphs(pages: dict) -> dict[int, list[str]]:
    """Every machine-read page's paragraphs (by page number), hyphenated line ends joined
    against the whole document's vocabulary; the pages' word rows are updated to match, so
    that their boxes and the text agree."""
    known = vocabulary(p.words for p in pages.values())
    out = {}
    for n, page in pages.items():
        join_hyphens(page.words, known)
        out[n] = paragraphs(page.words)
    return out


# -- word boxes beside the page image --------------------------------------------------------
def words_name(image_name: str) -> str:
    """The word-box file kept beside a page image (``p1-….jpg`` → ``p1-….words.json``)."""
    return re.sub(r"\.(jpg|png)$", "", image_name) + ".words.json"


def write_words(path: Path, page) -> None:
    """A page's words and boxes as JSON (boxes in the pixels of the image OCR read, whose size
    is given, so that a reader scales them to any rendition)."""
    data = {"width": page.width, "height": page.height, "lang": page.lang,
            "words": page.words}
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                   encoding="utf-8")
    tmp.replace(path)


# -- a better title and date for a scan ------------------------------------------------------
def pdf_title_usable(title: str, stem: str) -> bool:
    """A PDF /Title someone wrote, not a scanner's or converter's default."""
    title = title.strip()
    return (len(_key(title)) >= 3 and not _DEFAULT_TITLE.match(title)
            and _key(title) != _key(stem))


def title_line(text: str) -> str:
    """A title line machine-read on a first page: a ``SUBJECT:`` (``RE:``, ``ТЕМА:``) line."""
    m = _TITLE_LINE.search(text)
    if not m:
        return ""
    line = _NEXT_LABEL.split(m.group(2))[0]  # a line read with the next ("… DATE: …")
    line = " ".join(line.split()).strip(" .,;:-")
    return line if len(_key(line)) >= 6 else ""


def date_line(text: str) -> str:
    """The first full date machine-read on a page ("26 March 1964", "March 26, 1964")."""
    found = []
    for m in _DATE.finditer(text):
        found.append((m.start(), m.group(3), _MONTHS[m.group(2).lower()], int(m.group(1))))
    for m in _DATE_US.finditer(text):
        found.append((m.start(), m.group(3), _MONTHS[m.group(1).lower()], int(m.group(2))))
    for _, year, month, day in sorted(found):
        if 1 <= day <= 31:
            return f"{year}-{month:02d}-{day:02d}"
    return ""


def scan_title(pdf_title: str, first_page_text: str, stem: str) -> tuple[str, str]:
    """(title, where it came from) for a scan, the manifest aside (it overrides at compose):
    the PDF's /Title unless it is a default, a title line read on page 1, the file name."""
    if pdf_title_usable(pdf_title, stem):
        return pdf_title.strip(), "the PDF's /Title"
    line = title_line(first_page_text)
    if line:
        return line, "a title line machine-read on page 1"
    return stem.replace("_", " "), "the file name"
