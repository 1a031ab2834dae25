"""`dyad bench`: throughput and memory of spaCy parsing alone and of the whole pipeline, on
the same texts (the article bodies of ../shared/eval/article-extraction, repeated as needed).

Runs, each in a fresh process so that its peak RSS is its own:
  parse   spaCy's full pipeline (NER included), nothing else: the baseline
  one     dyad end to end (clean, pre-filter, parse, actors, events, dates, places), one process
  all     dyad on every core through the local engine (its worker processes' peak is reported
          apart from the main process's)
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from pathlib import Path

from dyad.config import SETTINGS

RUNS = ("parse", "one", "all")


def bench_texts(shared: Path, n: int) -> list[str]:
    from dyad.evaluate.article_extraction import article_bodies

    bodies = [text for _, text in article_bodies(shared) if text.strip()]
    return [bodies[i % len(bodies)] for i in range(n)]


def _parse_only(texts: list[str]) -> dict:
    from dyad.nlp import load_nlp

    nlp = load_nlp(exclude="")  # the full pipeline, NER included
    nlp("warm up")
    start = time.perf_counter()
    sentences = 0
    for doc in nlp.pipe(texts, batch_size=SETTINGS.batch_size):
        sentences += sum(1 for _ in doc.sents)
    return _result("spaCy parse only", texts, sentences, 0, time.perf_counter() - start)


def _dyad(texts: list[str], workers: int = 1) -> dict:
    from dyad.engine import default_workers
    from dyad.engine.local import code_stream
    from dyad.model import Document
    from dyad.pipeline import Pipeline

    docs = (Document(id=str(i), text=t) for i, t in enumerate(texts))
    if workers == 1:
        pipeline = Pipeline()
        pipeline.code_text("Russia has accused the United States.", "2019-01-01")
        pipeline.seconds.clear()
        stream, name = pipeline.code_documents(docs), "dyad, one process"
    else:
        workers = default_workers()
        stream, name = code_stream(docs, workers), f"dyad, {workers} processes"
    start = time.perf_counter()
    first = None  # when the first result came: worker start-up is over by then
    sentences = events = done = 0
    for _, sents, evs in stream:
        first = first or (time.perf_counter(), len(sents))
        sentences += len(sents)
        events += len(evs)
        done += 1
    end = time.perf_counter()
    result = _result(name, texts, sentences, events, end - start)
    if workers != 1 and done > 1:
        # The one-process run builds its pipeline before the clock starts; the workers
        # build theirs after it, so this rate leaves their start-up out the same way.
        result["steady_words_per_s"] = sum(len(t.split()) for t in texts[1:]) / max(
            end - first[0], 1e-9
        )
    if workers == 1:
        seconds = pipeline.seconds
        result["stage_seconds"] = {k: round(v, 3) for k, v in seconds.items()}
        result["dates_places_events_per_s"] = events / max(seconds["dates_places"], 1e-9)
    else:
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        result["worker_peak_rss_mb"] = children
    return result


def _dyad_all(texts: list[str]) -> dict:
    return _dyad(texts, workers=0)


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
    # A plain process, not a Pool's: a pool's workers are daemons, and the all-cores run
    # must start worker processes of its own.
    ctx = mp.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_send_result, args=(fn, texts, send))
    child.start()
    send.close()
    result = receive.recv()
    child.join()
    return result


def _send_result(fn, texts, send) -> None:
    send.send(fn(texts))
    send.close()


def run_bench(n: int, shared: Path, runs: tuple[str, ...] = RUNS) -> dict:
    texts = bench_texts(shared, n)
    work = {"parse": _parse_only, "one": _dyad, "all": _dyad_all}
    results = {name: _in_child(work[name], texts) for name in RUNS if name in runs}
    report = {
        "documents": n,
        "words": sum(len(t.split()) for t in texts),
        "runs": list(results.values()),
    }
    if "one" in results:
        report["stage_seconds"] = results["one"]["stage_seconds"]
        report["dates_places_events_per_s"] = results["one"]["dates_places_events_per_s"]
    if "parse" in results and "one" in results:
        report["ratio"] = results["one"]["words_per_s"] / results["parse"]["words_per_s"]
    if "one" in results and "all" in results:
        every = results["all"]
        report["scaling"] = every["words_per_s"] / results["one"]["words_per_s"]
        if "steady_words_per_s" in every:
            report["scaling_steady"] = every["steady_words_per_s"] / results["one"]["words_per_s"]
    return report
