"""`dyad bench`: throughput and memory of spaCy parsing alone and of the whole pipeline, on
the same texts (the article bodies of ../shared/eval/article-extraction, repeated as needed).

Each run happens in a fresh process so that its peak RSS is its own.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from pathlib import Path

from dyad.config import SETTINGS


def bench_texts(shared: Path, n: int) -> list[str]:
    from dyad.evaluate.article_extraction import article_bodies

    bodies = [text for _, text in article_bodies(shared) if text.strip()]
    return [bodies[i % len(bodies)] for i in range(n)]


def _parse_only(texts: list[str]) -> dict:
    from dyad.nlp import load_nlp

    nlp = load_nlp()
    nlp("warm up")
    start = time.perf_counter()
    sentences = 0
    for doc in nlp.pipe(texts, batch_size=SETTINGS.batch_size):
        sentences += sum(1 for _ in doc.sents)
    return _result("spaCy parse only", texts, sentences, 0, time.perf_counter() - start)


def _dyad(texts: list[str]) -> dict:
    from dyad.model import Document
    from dyad.pipeline import Pipeline

    pipeline = Pipeline()
    pipeline.code_text("Russia has accused the United States.", "2019-01-01")
    docs = (Document(id=str(i), text=t) for i, t in enumerate(texts))
    start = time.perf_counter()
    pipeline.seconds.clear()
    sentences = events = 0
    for _, sents, evs in pipeline.code_documents(docs):
        sentences += len(sents)
        events += len(evs)
    result = _result("dyad, one process", texts, sentences, events, time.perf_counter() - start)
    result["stage_seconds"] = {k: round(v, 3) for k, v in pipeline.seconds.items()}
    result["dates_places_events_per_s"] = events / max(pipeline.seconds["dates_places"], 1e-9)
    return result


def _result(name, texts, sentences, events, seconds) -> dict:
    words = sum(len(t.split()) for t in texts)
    return {
        "name": name,
        "seconds": seconds,
        "documents": len(texts),
        "sentences": sentences,
        "events": events,
        "docs_per_s": len(texts) / seconds,
        "sentences_per_s": sentences / seconds,
        "words_per_s": words / seconds,
        "events_per_s": events / seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _in_child(fn, texts):
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, (texts,))


def run_bench(n: int, shared: Path) -> dict:
    texts = bench_texts(shared, n)
    runs = [_in_child(_parse_only, texts), _in_child(_dyad, texts)]
    return {
        "stage_seconds": runs[1]["stage_seconds"],
        "dates_places_events_per_s": runs[1]["dates_places_events_per_s"],
        "documents": n,
        "words": sum(len(t.split()) for t in texts),
        "runs": runs,
        "ratio": runs[1]["words_per_s"] / runs[0]["words_per_s"],
    }
