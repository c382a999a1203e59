"""`steward bench`: the figures that matter at a given size, each beside its baseline."""

from __future__ import annotations

from pathlib import Path

import typer

from services.entrypoints import bench
from services.entrypoints.cli.common import console, progress_bar
from services.entrypoints.cli.demo import PHASES


def register(app: typer.Typer) -> None:
    @app.command("bench")
    def bench_command(
        ctx: typer.Context,
        customers: int = typer.Option(20_000, "--customers", "-n",
                                      help="Demo customers to measure at (loaded into an empty database, "
                                           "reused when it holds exactly this many). The targets are set for "
                                           "1,000,000 (about 15 minutes to load); the default is a quick look."),
        only: str = typer.Option(None, "--only", help=f"One section: {', '.join(bench.SECTIONS)}."),
        json_file: Path = typer.Option(None, "--json", help="Also write every figure to this JSON file."),
        samples: int = typer.Option(100, "--samples", min=3,
                                    help="Samples per fast figure (100 or more for a meaningful P95)."),
        seed: int = typer.Option(42, "--seed", help="Demo data seed, and which customers are picked."),
        legacy_rows: int = typer.Option(None, "--legacy-rows", min=100,
                                        help="Rows of the legacy table the ops section moves (default: as many "
                                             "as customers, at most 100,000)."),
        latency: str = typer.Option(None, "--latency",
                                    help="Each user action over a network of this round-trip time (e.g. 20ms), "
                                         "through a delaying proxy: ms and round trips per action (the section "
                                         "latency; alone unless --only names another)."),
    ) -> None:
        """Measure list, write, rebuild, drain, KPI and desktop figures against their baselines, in one run.

        It writes to the database: field values through the service layer and
        synthetic outbox events (removed again); point it at a database for
        benchmarks, not at production.
        """
        latency_ms = bench.latency.parse_delay(latency) if latency is not None else None
        with progress_bar(transient=True) as bar:
            steps = bar.add_task("Benchmark", total=None)
            loads: dict[str, int] = {}

            def load_progress(phase: str, done: int, total: int) -> None:
                if phase not in loads:
                    loads[phase] = bar.add_task(PHASES.get(phase, phase), total=max(total, 1))
                bar.update(loads[phase], completed=done)

            report = bench.run(ctx.obj, customers=customers, only=only, samples=samples, seed=seed,
                               progress=lambda what: bar.update(steps, description=f"Benchmark: {what}"),
                               load_progress=load_progress, legacy_rows=legacy_rows,
                               latency_ms=latency_ms)
        bench.report.render(report, console)
        if json_file:
            report.write_json(json_file)
            console.print(f"Written to {json_file}.")
