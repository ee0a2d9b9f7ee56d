"""The analyser is shared by every thread of a server worker: its stems must not depend on
what other threads are stemming at the same time, and a wrong stem must never be cached."""

import random
import threading

from indexer.analysis import TextAnalyzer


def _words(n: int, seed: int = 16) -> list[str]:
    rng = random.Random(seed)
    latin, cyrillic = "abcdefghijklmnopqrstuvwxyz", "абвгдежзийклмнопрстуфхцчшщыьэюя"
    suffixes = ["ing", "ed", "ation", "ies", "ness", "ов", "ами", "ость", "ения", "ую"]
    out = []
    for i in range(n):
        letters = cyrillic if i % 3 == 0 else latin
        word = "".join(rng.choice(letters) for _ in range(rng.randint(4, 12)))
        out.append(word + rng.choice(suffixes))
    return out


def test_eight_threads_stem_as_one_does():
    words = _words(6000)
    expected = {w: TextAnalyzer().stem(w) for w in words}  # single-threaded, own cache
    shared = TextAnalyzer()  # one analyser for all threads, as in a server worker
    results: list[dict[str, str]] = [{} for _ in range(8)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def work(k: int) -> None:
        rng = random.Random(k)
        mine = words[:]
        rng.shuffle(mine)
        barrier.wait()
        try:
            for w in mine:
                results[k][w] = shared.stem(w)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:3]
    wrong = [(w, r[w], expected[w]) for r in results for w in r if r[w] != expected[w]]
    assert not wrong, wrong[:5]
    # and nothing wrong was kept for later requests
    cached_wrong = [w for w, s in shared._cache.items() if s != expected[w]]
    assert not cached_wrong, cached_wrong[:5]
