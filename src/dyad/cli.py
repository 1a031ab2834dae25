"""`dyad`: a thin command line over the library (typer + rich)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import sys
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dyad.config import SETTINGS
from dyad.engine.run import Run
from dyad.errors import DyadError

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
lexicon_app = typer.Typer(no_args_is_help=True, help="The verb-pattern lexicon.")
app.add_typer(lexicon_app, name="lexicon")
out_console = Console(width=max(Console().width, 110))
err_console = Console(stderr=True)

FORMAT_HELP = "jsonl, gdelt, mentions, plover, petrarch or parquet (a directory)."
SHOW_EVENTS = 40  # events printed when no --out is given


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date (YYYY-MM-DD)") from None


@app.command()
def code(
    paths: list[str] = typer.Argument(..., help="Files, directories, or - for standard input."),
    out: str = typer.Option(None, "--out", "-o", help="Write events here (- for stdout)."),
    fmt: str = typer.Option(
        "jsonl", "--format", "-f", help="jsonl, gdelt, mentions, plover, petrarch or parquet."
    ),
    db: str = typer.Option(SETTINGS.db, "--db", help="The DuckDB store to write."),
    date: str = typer.Option(None, "--date", help="Publication date for inputs without one."),
    sentences: bool = typer.Option(False, "--sentences", help="Each input text is one sentence."),
    dictionary: list[Path] = typer.Option(
        [],
        "--dictionary",
        "-d",
        help="A PETRARCH actor, agent, discard, verb or issue file (repeatable).",
    ),
    verbs: str = typer.Option(
        None,
        "--verbs",
        help="Event verbs: own (dyad's lexicon), dictionary (the verb files given) or both.",
        show_default="both with a verb file, else own",
    ),
    engine: str = typer.Option("local", "--engine", help="local (processes here) or dask."),
    workers: int = typer.Option(
        None, "--workers", min=1, help="Worker processes.", show_default="all cores"
    ),
    scheduler: str = typer.Option(None, "--scheduler", help="A Dask scheduler's address."),
):
    """Code news into events: read, clean, parse, resolve actors, code events, store."""
    from dyad.engine import ENGINES, default_workers, dictionary_problems, engine_stream
    from dyad.export import FORMATS, write_events
    from dyad.ingest import read_inputs
    from dyad.pipeline import Pipeline
    from dyad.store import Store

    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}")
    if engine not in ENGINES or (scheduler and engine != "dask"):
        raise typer.BadParameter("--engine must be local or dask (dask with --scheduler)")
    if verbs is not None:
        from dyad.events.petrarch.coder import VERB_CHOICES

        if verbs not in VERB_CHOICES:
            raise typer.BadParameter(DyadError("E206", "--verbs", value=verbs).reason)
        # spawned workers read their settings from the environment
        SETTINGS.verbs = os.environ["DYAD_VERBS"] = verbs
    workers = workers or default_workers()
    started = time.perf_counter()
    try:
        if engine == "local" and workers == 1:
            pipeline = Pipeline(dictionaries=dictionary)
            stream, problems = pipeline.code_documents, getattr(pipeline.user, "problems", [])
        else:  # the workers build their own pipelines
            stream = engine_stream(engine, workers, scheduler, dictionary)
            problems = dictionary_problems(dictionary)
    except DyadError as exc:
        err_console.print(f"[red]error[/red] {exc}")
        raise typer.Exit(2) from None
    for problem in problems:
        err_console.print(f"[yellow]dictionary line skipped[/yellow] {problem}")
    with Store(db) as store, _progress() as progress:
        args = {"paths": paths, "date": date, "sentences": sentences, "engine": engine}
        run = Run(store, stream, args, on_error=_report, on_document=_ticker(progress))
        records = run.events(read_inputs(paths, _parse_date(date), sentence_mode=sentences))
        try:
            if out and fmt == "mentions":
                list(records)  # mentions are read back from the store once it is written
                write_events([], fmt, out, mentions=store.mentions())
            elif out:
                write_events(records, fmt, out, doc_urls=run.urls, doc_sources=run.sources)
            else:
                shown = list(itertools.islice(records, SHOW_EVENTS))
                rest = sum(1 for _ in records)
                _print_events(shown, rest)
        except DyadError as exc:  # no document can get past it, e.g. workers without spaCy
            err_console.print(f"[red]error[/red] {exc}")
            raise typer.Exit(2) from None
        run.finish()
    _print_summary(run.stats, run.skipped, run.warned, time.perf_counter() - started, db)
    if run.stats["documents"] + run.stats["unchanged"] + run.stats["duplicates"] == 0:
        raise typer.Exit(1)


def _report(error: DyadError) -> None:
    err_console.print(f"[yellow]skipped[/yellow] {error}")


def _ticker(progress: Progress):
    """Show a progress bar once a second document goes through."""
    task = None

    def tick(documents: int) -> None:
        nonlocal task
        if documents == 2:
            task = progress.add_task("coding", total=None)
        if task is not None:
            progress.update(task, completed=documents)

    return tick


@app.command()
def watch(
    feeds: list[str] = typer.Argument(..., help="RSS or Atom feed URLs."),
    every: str = typer.Option("15m", "--every", help="Poll interval: 90s, 15m, 1h."),
    db: str = typer.Option(SETTINGS.db, "--db", help="The DuckDB store to write."),
    state: Path = typer.Option(
        Path("dyad-watch.json"), "--state", help="Seen entries and validators, per feed."
    ),
):
    """Poll feeds and code each new article as it appears, until stopped (Ctrl-C)."""
    import signal
    import threading

    from dyad.ingest.watch import parse_every
    from dyad.ingest.watch import watch as watch_feeds
    from dyad.pipeline import Pipeline
    from dyad.store import Store

    try:
        seconds = parse_every(every)
    except DyadError as exc:
        raise typer.BadParameter(exc.reason) from None
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    pipeline = Pipeline()
    with Store(db) as store:
        run = Run(store, pipeline.code_documents, {"watch": feeds, "every": every},
                  on_error=_report)  # fmt: skip

        def handle(docs) -> None:
            before = run.stats["events"]
            for _ in run.events(docs):
                pass
            run.settle_people()
            err_console.print(f"{len(docs)} new articles, {run.stats['events'] - before} events")

        def on_error(error: DyadError) -> None:
            _report(error)
            store.record_error(run.run_id, error.where, error.code, error.reason)

        watch_feeds(feeds, seconds, handle, stop, state, on_error=on_error)
        run.finish()
    _print_summary(run.stats, run.skipped, run.warned, 0.0, db)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} documents"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )


def _when(event: dict) -> str:
    """The event's date and, unless it is a day, its precision; '-' for an undated text."""
    if event["date"] is None:
        return "-"
    precision = event["date_precision"]
    return event["date"] + ("" if precision == "day" else f" ~{precision}")


def _actor(actor: dict | None) -> str:
    """The actor's code; an implied one (named by no mention) in brackets."""
    if not actor:
        return "-"
    return f"({actor['code']})" if actor.get("how") == "implied" else actor["code"]


def _print_events(events: list[dict], more: int) -> None:
    table = Table(title="events", caption=f"and {more} more" if more else None)
    for col in ("source", "target", "cameo", "plover", "modality", "date", "location", "verb"):
        table.add_column(col, no_wrap=True)
    for e in events:
        loc = e["location"]
        table.add_row(
            _actor(e["source"]),
            _actor(e["target"]),
            e["cameo"],
            e["plover"] or "-",
            e["modality"],
            _when(e),
            f"{loc['name']}, {loc['country']}" if loc else "-",
            e["verb"]["text"],
        )
    out_console.print(table)


def _print_summary(stats, skipped, warned, seconds: float, db: str) -> None:
    table = Table(title="summary", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("documents coded", str(stats["documents"]))
    if stats["duplicates"]:
        table.add_row("near-copies stored as mentions", str(stats["duplicates"]))
    if stats["unchanged"]:
        table.add_row("documents already in the store", str(stats["unchanged"]))
    for key in ("sentences", "events"):
        table.add_row(key, str(stats[key]))
    table.add_row("skipped", str(sum(skipped.values())))
    for reason, n in sorted(skipped.items()):
        table.add_row(f"  {reason}", str(n))
    if warned:
        table.add_row("coded in part", str(sum(warned.values())))
        for reason, n in sorted(warned.items()):
            table.add_row(f"  {reason}", str(n))
    table.add_row("seconds", f"{seconds:.1f}")
    table.add_row("store", db)
    err_console.print(table)


@app.command("eval")
def evaluate(
    shared: Path = typer.Option(Path(SETTINGS.shared), "--shared", help="The shared data."),
    sets: list[str] = typer.Option([], "--set", help="Only these sets (repeatable)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
):
    """Score dyad on every gold set in ../shared/eval and on the seed article."""
    from dyad.evaluate.runner import run_all
    from dyad.evaluate.wiring import actors_in, code_document, code_sentences

    rows = run_all(code_sentences, code_document, shared, sets or None, actors_in=actors_in)
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2, default=str) + "\n")
        return
    table = Table(title=f"dyad eval ({shared})")
    for col in ("set", "records", "precision", "recall", "F1", "accuracy", "seconds"):
        table.add_column(col, justify="right" if col != "set" else "left")
    for r in rows:
        table.add_row(
            r["set"],
            str(r.get("records", "")),
            *(_fmt(r.get(k)) for k in ("precision", "recall", "f1", "accuracy")),
            _fmt(r.get("seconds"), 1),
        )
    out_console.print(table)
    for r in rows:
        if r.get("error"):
            err_console.print(f"[red]{r['set']}[/red]: {r['error']}")
        elif r["set"] == "petrarch-unit":
            _print_petrarch_categories(r["details"])
        elif r["set"] == "seed" and "actors" in r["details"]:
            actors = r["details"]["actors"]
            wrong = [
                f"{a['text']} ({'/'.join(a['found']) or 'none'})" for a in actors if not a["right"]
            ]
            out_console.print(
                f"seed actors: {len(actors) - len(wrong)} of {len(actors)} right"
                + (f"; wrong: {', '.join(wrong)}" if wrong else "")
            )
        elif r["set"] == "conflibert-cameo":
            d = r["details"]
            out_console.print(
                "conflibert-cameo with the mapping of ../shared/eval/README.md (02 verbal "
                f"cooperation, 16 material conflict): macro-F1 {d['f1_shared_readme_mapping']:.3f}"
                f", accuracy {d['accuracy_shared_readme_mapping']:.3f}"
            )
        elif r["set"] == "plover-gsr":
            d = r["details"]
            out_console.print(
                f"plover-gsr actors: source country {d['source_country']:.3f} "
                f"({d['source_records']} records), target country {d['target_country']:.3f} "
                f"({d['target_records']}); no event coded for {d['no_event']}"
            )


def _print_petrarch_categories(details: dict) -> None:
    """Share of records fully right by category: the suite's verb file with dyad's lexicon
    where it codes nothing (the default), the verb file alone, dyad's lexicon alone."""
    runs = {
        "both": details,
        "verb file only": details.get("verb_dictionary_only", {}),
        "dyad lexicon only": details.get("own_lexicon", {}),
    }
    table = Table(title="petrarch-unit: records fully right, by category")
    for col in ("category", "records", *runs):
        table.add_column(col, justify="right" if col != "category" else "left")
    for name in [*details["by_category"], "cameo_only"]:
        cells = []
        for run in runs.values():
            group = run.get("by_category", {}).get(name) or run.get(name) or {}
            cells.append(_fmt(group.get("accuracy")))
        records = (details["by_category"].get(name) or details.get(name) or {}).get("records")
        table.add_row(name, str(records), *cells)
    out_console.print(table)


def _fmt(value, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


@app.command()
def bench(
    docs: int = typer.Option(200, "--docs", help="How many documents to run."),
    runs: str = typer.Option("parse,one,all", "--runs", help="Which of parse, one, all."),
    shared: Path = typer.Option(Path(SETTINGS.shared), "--shared", help="The shared data."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
):
    """Throughput and memory: spaCy parsing alone, dyad on one process, dyad on all cores."""
    from dyad.bench import RUNS, run_bench

    chosen = tuple(r.strip() for r in runs.split(",") if r.strip())
    if not chosen or set(chosen) - set(RUNS):
        raise typer.BadParameter(f"--runs takes some of {', '.join(RUNS)}")
    result = run_bench(docs, shared, chosen)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    table = Table(title=f"dyad bench: {result['documents']} documents, {result['words']} words")
    for col in ("run", "docs/s", "sentences/s", "words/s", "events/s", "peak RSS MB"):
        table.add_column(col, justify="right" if col != "run" else "left")
    for r in result["runs"]:
        rss = f"{r['peak_rss_mb']:.0f}"
        if "worker_peak_rss_mb" in r:
            rss += f" (workers {r['worker_peak_rss_mb']:.0f})"
        table.add_row(
            r["name"],
            f"{r['docs_per_s']:.1f}",
            f"{r['sentences_per_s']:.1f}",
            f"{r['words_per_s']:.0f}",
            f"{r['events_per_s']:.1f}",
            rss,
        )
    out_console.print(table)
    if "ratio" in result:
        out_console.print(f"ratio dyad / parse-only (one process each): {result['ratio']:.2f}")
    if "scaling" in result:
        out_console.print(f"ratio all cores / one process: {result['scaling']:.2f}")
        if "scaling_steady" in result:
            steady = result["scaling_steady"]
            out_console.print(f"  the same once the workers have started: {steady:.2f}")
    if "stage_seconds" in result:
        stages = ", ".join(f"{k} {v:.1f} s" for k, v in result["stage_seconds"].items())
        out_console.print(f"dyad's time by stage (one process): {stages}")
        rate = result["dates_places_events_per_s"]
        out_console.print(f"date and place resolution: {rate:.0f} events/s")


@app.command()
def export(
    fmt: str = typer.Option(
        "jsonl", "--format", "-f", help="jsonl, gdelt, mentions, plover, petrarch or parquet."
    ),
    out: str = typer.Option("-", "--out", "-o", help="File or directory (- for stdout)."),
    db: str = typer.Option(SETTINGS.db, "--db", help="The DuckDB store to read."),
    since: str = typer.Option(None, "--since", help="First event date, YYYY-MM-DD."),
    until: str = typer.Option(None, "--until", help="Last event date, YYYY-MM-DD."),
):
    """Export stored events."""
    from dyad.export.formats import write_events
    from dyad.store.duck import Store

    if not Path(db).exists():
        err_console.print(f"[red]error[/red] no store at {db}")
        raise typer.Exit(2)
    with Store(db) as store:
        first, last = _parse_date(since), _parse_date(until)
        n = write_events(
            store.events(first, last, counts=True),
            fmt,
            out,
            doc_urls=store.urls(),
            doc_sources=store.sources(),
            mentions=store.mentions(first, last) if fmt == "mentions" else None,
        )
    err_console.print(f"{n} events written")


@lexicon_app.command("stats")
def lexicon_stats():
    """Patterns and covered CAMEO codes, by root."""
    from dyad.events.lexicon import coverage_by_root, load_lexicon

    patterns = load_lexicon()
    table = Table(title=f"dyad lexicon: {len(patterns)} patterns")
    for col in ("root", "name", "codes", "covered", "patterns"):
        table.add_column(col, justify="left" if col in ("root", "name") else "right")
    for root, name, n_codes, covered, n in coverage_by_root(patterns):
        table.add_row(root, name, str(n_codes), str(covered), str(n))
    out_console.print(table)


@app.command()
def serve(
    db: str = typer.Option(SETTINGS.db, "--db", help="The DuckDB store to serve (read-only)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    token: str = typer.Option(
        None,
        "--token",
        envvar="DYAD_TOKEN",
        show_envvar=True,
        help="Enables POST /api/code for callers with this bearer token (prefer DYAD_TOKEN: "
        "a command line is visible to other users).",
    ),
    cors: list[str] = typer.Option(
        [], "--cors", help="An origin whose pages may call the API (repeatable); none by default."
    ),
):
    """Serve the store: a read-only JSON API under /api (docs at /docs) and the dashboard."""
    import uvicorn

    from dyad.server.app import create_app

    try:
        api = create_app(db, token=token, cors_origins=cors)
    except DyadError as exc:
        err_console.print(f"[red]error[/red] {exc}")
        raise typer.Exit(2) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]warning[/yellow] listening on {host}: reachable from others")
    uvicorn.run(api, host=host, port=port, server_header=False)


@app.command()
def plot(
    kind: str = typer.Argument(..., help="timeline, network or map."),
    out: Path = typer.Option(..., "--out", "-o", help="A .png, .svg or .pdf file."),
    db: str = typer.Option(SETTINGS.db, "--db", help="The DuckDB store to read."),
    since: str = typer.Option(None, "--since", help="First event date, YYYY-MM-DD."),
    until: str = typer.Option(None, "--until", help="Last event date, YYYY-MM-DD."),
    actor: str = typer.Option(None, "--actor", help="Actor code or prefix, either side."),
    source: str = typer.Option(None, "--source", help="Source code or prefix."),
    target: str = typer.Option(None, "--target", help="Target code or prefix."),
    country: str = typer.Option(None, "--country", help="ISO3 code, either side."),
    cameo: str = typer.Option(None, "--cameo", help="CAMEO code or root, e.g. 04."),
    quad_class: int = typer.Option(None, "--quad-class", help="1 to 4."),
    plover: str = typer.Option(None, "--plover", help="PLOVER event type."),
    modality: str = typer.Option(None, "--modality", help="asserted, future, negated ..."),
    q: str = typer.Option(None, "--q", help="Text in the sentence."),
    period: str = typer.Option("month", "--period", help="timeline: day, week or month."),
    level: str = typer.Option("country", "--level", help="network: actor or country."),
    min_count: int = typer.Option(1, "--min-count", min=1, help="network: fewest events per edge."),
    limit: int = typer.Option(60, "--limit", min=1, help="network: most edges; map: most places."),
    title: str = typer.Option(None, "--title", help="Instead of the generated title."),
):
    """Draw a figure for a paper from the store, with the API's filters."""
    from dyad.plots import plot as draw
    from dyad.server.queries import Filters, connect

    try:
        filters = Filters(_parse_date(since), _parse_date(until), actor, source, target,
                          country, cameo, quad_class, plover, modality, q)  # fmt: skip
        with connect(db) as con:
            written = draw(kind, con, filters, out, period=period, level=level,
                           min_count=min_count, limit=limit, title=title)  # fmt: skip
    except DyadError as exc:
        err_console.print(f"[red]error[/red] {exc}")
        raise typer.Exit(2) from None
    err_console.print(f"{kind} written to {written}")


if __name__ == "__main__":
    app()
