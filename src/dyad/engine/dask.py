"""The Dask engine: the pipeline on a Dask cluster, streaming.

Batches of documents go to the workers as tasks; each worker process builds one Pipeline
(cached for the life of the process) and returns the coded batch to this client, which
yields it to the caller, the single writer of the store. At most two batches per worker
thread are out at once, so the input is read lazily and memory stays flat.

Why results come back to the client rather than as Parquet parts written by the workers:
the store has one writer whatever happens, so parts would be one more copy to merge; the
returned events are smaller than the text sent out; no filesystem has to be shared with
the cluster; and crash safety already comes from the store (one transaction per document,
stored documents skipped on a rerun), which parts would not improve.

A batch whose task fails (an exception, or a worker lost more often than Dask's
`allowed-failures`) is sent again one document per task, so only the culprit is reported,
as E151.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

from dyad.engine import Item, Result, pack, unpack
from dyad.engine.local import BATCH, _take
from dyad.errors import DyadError

_LOCK = threading.Lock()  # a worker with several threads codes one batch at a time


@cache
def _pipeline(dictionaries: tuple[str, ...], model: str | None):
    from dyad.pipeline import Pipeline

    return Pipeline(dictionaries, model)


def code_batch(docs, dictionaries: tuple[str, ...] = (), model: str | None = None, people=None):
    """The task run on a worker: code a batch with the worker process's Pipeline.

    Returns (None, results), or (error, []) when the Pipeline cannot be built: the client
    raises that error, which no retry would cure.
    """
    with _LOCK:
        try:
            pipeline = _pipeline(tuple(dictionaries), model)
        except DyadError as exc:
            return pack((exc, [], []))[0], []
        results = pipeline.code_documents(docs, people=people)
        return None, [pack(result) for result in results]


def code_stream_dask(
    items: Iterable[Item],
    scheduler: str | None = None,
    workers: int = 2,
    dictionaries: Sequence[str] = (),
    model: str | None = None,
    *,
    batch: int = BATCH,
    people=None,
) -> Iterator[Result]:
    """`Pipeline.code_documents` on a Dask cluster, in completion order.

    `scheduler` is the address of a running cluster (its workers need dyad installed);
    without one, a LocalCluster of `workers` single-threaded processes is started here
    and closed at the end.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        client, cluster = Client(scheduler), None
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        # The registry goes to every worker once, not with every batch.
        shared = client.scatter(people, broadcast=True) if people is not None else None
        args = (tuple(dictionaries), model, shared)
        yield from _stream(client, iter(items), workers, batch, args)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _stream(client, source, workers: int, batch: int, args: tuple) -> Iterator[Result]:
    from distributed import as_completed

    def window() -> int:
        # Asked again as batches finish: an adaptive cluster (dask-jobqueue) grows and shrinks.
        return 2 * max(workers, sum(client.nthreads().values()))

    running = as_completed()
    sent: dict = {}  # future -> its documents
    exhausted = False
    retry: list = []
    while True:
        while (retry or not exhausted) and len(sent) < window():
            docs = [retry.pop()] if retry else None
            if docs is None:
                docs, errors, exhausted = _take(source, batch)
                yield from errors
            if docs:
                future = client.submit(code_batch, docs, *args, pure=False)
                sent[future] = docs
                running.add(future)
        if not sent:
            return
        future = next(running)
        docs = sent.pop(future)
        try:
            fatal, results = future.result()
        except Exception as exc:  # the task raised, or its workers kept dying
            if len(docs) > 1:
                retry.extend(docs)
            else:
                yield DyadError("E151", docs[0].id, detail=f"{type(exc).__name__}: {exc}"), [], []
            continue
        finally:
            future.release()
        if fatal:
            raise unpack((fatal, [], []))[0]
        for result in results:
            yield unpack(result)
