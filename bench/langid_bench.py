"""Language detectors compared on this library's own text (run on demand, in an environment
with the candidates installed: lingua-language-detector, py3langid, langdetect).

Labelled samples: English passages of the store (the essay, the speeches) cut into sentences,
English machine-read from the NARA scans (noisy), Russian from the Russian test page's ground
truth and the works' original titles, French from the works' titles and the essay's French
quotations. Prints accuracy for short (< 60 characters) and longer samples, and time per call.
"""

from __future__ import annotations

import re
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.language import PASSAGE_LANGUAGES as CANDIDATES  # noqa: E402
from indexer.store import document_paths  # noqa: E402
from indexer.teidoc import read_document  # noqa: E402


def samples() -> list[tuple[str, str]]:
    out = []
    for path in document_paths(ROOT / "sources"):
        doc = read_document(path)
        if doc.language != "en" or doc.type == "register":
            continue
        for p in doc.passages:
            if p.kind != "p" or re.search("[А-я]", p.text):
                continue
            for s in re.split(r"(?<=[.!?])\s+", p.text):
                if 15 <= len(s) <= 300:
                    out.append(("en", s))
    out = out[::3][:300]  # a spread, not one document's
    out += [("ru", s) for s in (
        "Письмо Сталина Готвальду", "Соединённые Штаты отвлекаются от Европы.",
        "Это нам выгодно.", "Второй абзац о Корее и Китае.")]
    truth = (ROOT / "tests/fixtures/ocr/ru-typescript-scan.txt").read_text(encoding="utf-8")
    out += [("ru", line.strip()) for line in truth.splitlines() if len(line.strip()) > 12]
    works = tomllib.loads((ROOT / "seeds/works.toml").read_text(encoding="utf-8"))
    for work in works.get("work", []):
        original = work.get("title_original", "")
        if original:
            out.append(("ru" if re.search("[А-я]", original) else "fr", original))
    noisy = ROOT / "bench/data/nara-ocr.txt"
    if noisy.exists():  # tesseract's reading of the NARA scans, made by bench/ocr_bench.py
        out += [("en", line) for line in noisy.read_text().splitlines() if len(line) > 25]
    return out


def detectors():
    found = {}
    from indexer.formats import Block, Extracted
    from indexer.language import annotate

    def policy(text: str) -> str:
        """What the import does to a passage of an English document."""
        context = ("The report on the conversation with the ambassador was filed in the "
                   "archive of the ministry, with the other papers of that year.")
        record = Extracted(language="en", blocks=[Block("p", context), Block("p", text)])
        annotate(record)
        return record.blocks[1].lang or "en"
    found["the library's rule, passage in an English document"] = policy
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        langs = [getattr(IsoCode639_1, c.upper()) for c in CANDIDATES]
        lingua = LanguageDetectorBuilder.from_iso_codes_639_1(*langs).build()

        def lingua_detect(text: str) -> str:
            lang = lingua.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else ""
        found[f"lingua ({len(CANDIDATES)} languages)"] = lingua_detect
        from indexer.language import PASSAGE_LANGUAGES
        low = LanguageDetectorBuilder.from_iso_codes_639_1(
            *(getattr(IsoCode639_1, c.upper()) for c in PASSAGE_LANGUAGES)
        ).with_low_accuracy_mode().build()

        def lingua_low(text: str) -> str:
            lang = low.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else ""
        found[f"lingua low accuracy ({len(PASSAGE_LANGUAGES)} languages)"] = lingua_low
        lingua_all = LanguageDetectorBuilder.from_all_languages().build()

        def lingua_all_detect(text: str) -> str:
            lang = lingua_all.detect_language_of(text)
            return lang.iso_code_639_1.name.lower() if lang else ""
        found["lingua (all 75)"] = lingua_all_detect
    except ImportError:
        pass
    try:
        import py3langid

        identifier = py3langid.langid.LanguageIdentifier.from_model_file(
            py3langid.langid.MODEL_FILE)
        identifier.set_languages(CANDIDATES)
        name = f"py3langid ({len(CANDIDATES)} languages)"
        found[name] = lambda text: identifier.classify(text)[0]
        every = py3langid.langid.LanguageIdentifier.from_model_file(py3langid.langid.MODEL_FILE)
        found["py3langid (all 97)"] = lambda text: every.classify(text)[0]
    except ImportError:
        pass
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0
        found["langdetect (all)"] = lambda text: detect(text)
    except ImportError:
        pass
    return found


if __name__ == "__main__":
    data = samples()
    print(f"{len(data)} samples: " + ", ".join(
        f"{lang} {sum(1 for x, _ in data if x == lang)}" for lang in sorted({x for x, _ in data})))
    for name, detect in detectors().items():
        detect("warm up the models")
        right = {"short": [0, 0], "long": [0, 0]}
        start = time.perf_counter()
        for lang, text in data:
            bucket = right["short" if len(text) < 60 else "long"]
            bucket[1] += 1
            try:
                got = detect(text)
            except Exception:  # noqa: BLE001  (langdetect raises on text without letters)
                got = ""
            bucket[0] += got == lang
            if got != lang and "-v" in sys.argv:
                print(f"   {lang}→{got}: {text[:70]!r}")
        ms = 1000 * (time.perf_counter() - start) / len(data)
        print(f"{name}: short {right['short'][0]}/{right['short'][1]}, long "
              f"{right['long'][0]}/{right['long'][1]}, {ms:.2f} ms/sample")
