"""The local engine: the pipeline in worker processes on this machine, streaming.

Each worker is a spawned process that builds its own Pipeline once, then codes the batches
the main process sends it over its own pipe, answering document by document. The main
process reads the input lazily and sends a batch only to a worker that has answered all of
its previous one, so at most about (workers + 2) x batch documents are in flight however
long the input is. Results are yielded in the order workers finish them, not input order.

A worker that dies (a crash in native code, the kernel's OOM killer) is replaced. The
documents it had not answered are coded again one per batch, so the one that kills a
worker again is isolated, reported as E151 and the run goes on.
"""

from __future__ import annotations

import multiprocessing as mp
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from multiprocessing.connection import wait

from dyad.engine import Item, Result, pack, unpack
from dyad.errors import DyadError
from dyad.model import Document

# spawn, not fork: a forked child would inherit the parent's threads and open DuckDB handle.
CTX = mp.get_context("spawn")
BATCH = 16  # documents per message: enough for spaCy's batching, small enough to spread


def code_stream(
    items: Iterable[Item],
    workers: int,
    dictionaries: Sequence[str] = (),
    model: str | None = None,
    *,
    batch: int = BATCH,
    factory: Callable | None = None,
    people=None,
) -> Iterator[Result]:
    """`Pipeline.code_documents` on `workers` processes, in completion order.

    `factory` makes each worker's pipeline (default: `Pipeline(dictionaries, model)`); it
    must pickle. `people` (a PeopleBook) goes to every pipeline. With one worker, or input
    that fits in one batch, everything runs here: starting processes would cost more than
    it saves.
    """
    if factory is None:
        from dyad.pipeline import Pipeline

        factory = partial(Pipeline, tuple(dictionaries), model)
    source = iter(items)
    if workers <= 1:
        yield from factory().code_documents(source, people)
        return
    first, errors, exhausted = _take(source, batch)
    yield from errors
    if exhausted:
        yield from factory().code_documents(first, people)
        return
    yield from _pooled(factory, workers, first, source, batch, people)


def _take(source: Iterator[Item], n: int) -> tuple[list[Document], list[Result], bool]:
    """Up to n documents from source, the input errors met on the way, and whether the
    source is exhausted."""
    docs, errors = [], []
    while len(docs) < n:
        item = next(source, None)
        if item is None:
            return docs, errors, True
        if isinstance(item, DyadError):
            errors.append((item, [], []))
        else:
            docs.append(item)
    return docs, errors, False


class _Worker:
    def __init__(self, factory: Callable, people=None):
        self.conn, child = CTX.Pipe()
        self.process = CTX.Process(target=_serve, args=(child, factory, people), daemon=True)
        self.process.start()
        child.close()  # so that the worker's death reads as EOF here
        self.ready = False
        self.pending: list[Document] = []  # sent, not yet answered, in the order sent
        self.failure: str | None = None

    @property
    def idle(self) -> bool:
        return self.ready and not self.pending

    def give(self, docs: list[Document]) -> None:
        self.pending = list(docs)
        try:
            self.conn.send(docs)
        except OSError:
            pass  # it has just died: that reads as EOF next, and these documents go back

    def stop(self) -> None:
        self.conn.close()  # an idle worker reads EOF and exits
        if not self.idle:  # starting or busy: its work is not wanted any more
            self.process.terminate()
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()


def _pooled(factory, workers: int, work, source, batch: int, people) -> Iterator[Result]:
    pool = [_Worker(factory, people) for _ in range(workers)]
    retry: deque[list[Document]] = deque()
    exhausted = False
    try:
        while True:
            for worker in pool:
                if not worker.idle:
                    continue
                if not work and retry:
                    work = retry.popleft()
                if not work and not exhausted:
                    work, errors, exhausted = _take(source, batch)
                    yield from errors
                if not work:
                    break
                worker.give(work)
                work = []
            if not (work or retry or not exhausted or any(w.pending for w in pool)):
                return
            for conn in wait([w.conn for w in pool]):
                worker = next(w for w in pool if w.conn is conn)
                try:
                    message = conn.recv()
                except (EOFError, OSError):
                    pool.remove(worker)
                    yield from _lost(worker, retry)
                    if work or retry or not exhausted:
                        pool.append(_Worker(factory, people))
                    continue
                if message[0] == "result":
                    worker.pending.pop(0)
                    yield unpack(message[1])
                elif message[0] == "ready":
                    worker.ready = True
                elif message[0] == "failed":
                    worker.failure = message[1]
                else:  # "fatal": the pipeline cannot be built, so no worker will do better
                    raise unpack((message[1], [], []))[0]
    finally:
        for worker in pool:
            worker.stop()


def _lost(worker: _Worker, retry: deque) -> Iterator[Result]:
    """A worker has died: isolate the documents it had not answered."""
    worker.conn.close()
    worker.process.join()
    detail = worker.failure or f"the process ended with exit code {worker.process.exitcode}"
    if not worker.ready:
        raise DyadError("E152", detail=detail)
    if len(worker.pending) == 1:
        yield DyadError("E151", worker.pending[0].id, detail=detail), [], []
    else:
        retry.extend([doc] for doc in worker.pending)


def _serve(conn, factory: Callable, people) -> None:
    """A worker process: build the pipeline, then code what comes until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the main process to handle
    try:
        pipeline = factory()
    except DyadError as exc:
        conn.send(("fatal", pack((exc, [], []))[0]))
        return
    try:
        conn.send(("ready",))
        while True:
            docs = conn.recv()
            for result in pipeline.code_documents(docs, people):
                conn.send(("result", pack(result)))
    except (EOFError, BrokenPipeError):
        return  # the main process is done, or gone: nobody to code for
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
