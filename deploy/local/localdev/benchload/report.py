"""benchmarks/RESULTS.md: every number of one run next to the issue's target (issue 14)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from localdev.benchload.announcement import AnnouncementStage
from localdev.benchload.baselines import EndpointRate, KafkaLatency, PgbenchResult
from localdev.benchload.cpu import describe as describe_cpu
from localdev.benchload.flow import PhaseResult
from localdev.benchload.lags import ConsumerLag, EventTimes

ANNOUNCE_TARGET_CASES = 20_000
ANNOUNCE_TARGET_SECONDS = 60.0


@dataclass
class Results:
    machine: dict[str, str]
    clients: int
    batch: int
    note: str = ""
    workers: int = 1
    split: bool = False  # API and worker (relay, consumer, jobs) in processes of their own
    started: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    pgbench: PgbenchResult | None = None
    kafka: KafkaLatency | None = None
    healthz: EndpointRate | None = None
    phases: list[PhaseResult] = field(default_factory=list)
    review_caught_up: float = 0.0
    submitted: EventTimes | None = None
    announce_answer: float = 0.0
    visible_in_intake: float = 0.0
    visible_in_tracking: float = 0.0
    obligations: int = 0
    issued: EventTimes | None = None
    announcement: AnnouncementStage | None = None
    total_seconds: float = 0.0
    load_at_end: str = ""
    cpu: dict[str, dict[str, float]] = field(default_factory=dict)  # phase → component → cores
    error: str = ""  # the run stopped early: what is above it was measured, the rest not


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _phase(results: Results, name: str) -> PhaseResult | None:
    return next((p for p in results.phases if p.name == name), None)


def _consumer(times: EventTimes | None, service: str) -> ConsumerLag | None:
    if times is None:
        return None
    return next((c for c in times.consumers if c.consumer.endswith(f"{service}.events")), None)


def _rows(r: Results) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    tps = r.pgbench.tps if r.pgbench else 0.0
    if r.pgbench:
        rows.append(
            (
                "pgbench TPC-B-like (durable-write ceiling)",
                f"{tps:.0f} tps ({r.pgbench.clients} clients, scale {r.pgbench.scale}, "
                f"{r.pgbench.seconds} s)",
                "— (ceiling)",
                "",
            )
        )
    if r.kafka:
        rows.append(
            (
                "Kafka EndToEndLatency (acks=all, one at a time)",
                f"p50 {r.kafka.p50_ms:.0f} ms, p99 {r.kafka.p99_ms:.0f} ms "
                f"({r.kafka.messages} × {r.kafka.size} B)",
                "— (ceiling)",
                "",
            )
        )
    if r.healthz:
        rows.append(
            (
                "GET /healthz of intake, same client",
                f"{r.healthz.per_second:.0f} /s, {r.healthz.latency and r.healthz.latency.ms()}",
                "— (ceiling)",
                "",
            )
        )
    for name in ("profile", "draft", "upload"):
        phase = _phase(r, name)
        if phase:
            rows.append(
                (
                    f"{name} (calls)",
                    f"{phase.per_second:.1f} /s, {phase.latency and phase.latency.ms()}",
                    "—",
                    "",
                )
            )
    submit = _phase(r, "submit")
    if submit and submit.latency:
        floor = max(150.0, 0.12 * tps)
        rows.append(
            (
                f"submit, {r.clients} concurrent",
                f"{submit.per_second:.1f} /s = {submit.per_second / tps:.3f} × pgbench"
                if tps
                else f"{submit.per_second:.1f} /s",
                f"≥ 150 /s and ≥ 0.12 × pgbench (= {floor:.0f} /s)",
                _met(submit.per_second >= floor),
            )
        )
        rows.append(
            (
                "submit latency",
                submit.latency.ms(),
                "p99 ≤ 400 ms at 32 concurrent",
                _met(submit.latency.p99 <= 0.4),
            )
        )
    if r.submitted:
        if r.submitted.relay:
            rows.append(
                (
                    "relay commit→published, intake, while submitting",
                    r.submitted.relay.ms(),
                    "p99 ≤ 200 ms at 150 submits/s",
                    _met(r.submitted.relay.p99 <= 0.2),
                )
            )
        for lag in r.submitted.consumers:
            rows.append(
                (
                    f"`application.submitted` commit→inbox, {lag.consumer}",
                    lag.lag.ms() if lag.lag else "—",
                    "p99 ≤ 1 s (review)" if lag.consumer.endswith("review.events") else "—",
                    _met(lag.lag is not None and lag.lag.p99 <= 1.0)
                    if lag.consumer.endswith("review.events")
                    else "",
                )
            )
            rows.append(
                (
                    f"`application.submitted` handled rate, {lag.consumer}",
                    f"{lag.drain_per_second:.1f} /s ({lag.handled} events)",
                    "≥ 400 /s (review)" if lag.consumer.endswith("review.events") else "—",
                    _met(lag.drain_per_second >= 400)
                    if lag.consumer.endswith("review.events")
                    else "",
                )
            )
        rows.append(
            (
                "review opened every case",
                f"{r.review_caught_up:.1f} s after the last submit's answer",
                "—",
                "",
            )
        )
    approve = _phase(r, "approve")
    if approve:
        rows.append(
            (
                "approve (agency decisions)",
                f"{approve.per_second:.1f} /s, {approve.latency and approve.latency.ms()}",
                "—",
                "",
            )
        )
    if r.issued:
        rows.append(
            (
                f"announce {r.batch:,} cases: the request",
                f"{r.announce_answer:.1f} s",
                "—",
                "",
            )
        )
        if r.issued.relay:
            rows.append(
                (
                    "relay commit→published, review, `registration.issued`",
                    f"{r.issued.relay.ms()}",
                    "—",
                    "",
                )
            )
        for service in ("intake", "tracking"):
            drained = _consumer(r.issued, service)
            if drained is None:
                continue
            rows.append(
                (
                    f"`registration.issued` drain rate, {drained.consumer}",
                    f"{drained.drain_per_second:.0f} /s ({drained.handled} events), "
                    f"commit→inbox {drained.lag.ms() if drained.lag else '—'}",
                    "≥ 1,000 /s",
                    _met(drained.drain_per_second >= 1000),
                )
            )
        slowest = max(r.visible_in_intake, r.visible_in_tracking)
        rows.append(
            (
                f"announce {r.batch:,} → all `registered` in intake / all obligations in tracking",
                f"{r.visible_in_intake:.1f} s / {r.visible_in_tracking:.1f} s "
                f"({r.obligations:,} obligations)",
                f"{ANNOUNCE_TARGET_CASES:,} within {ANNOUNCE_TARGET_SECONDS:.0f} s",
                _met(slowest <= ANNOUNCE_TARGET_SECONDS)
                if r.batch >= ANNOUNCE_TARGET_CASES
                else f"not measured at {ANNOUNCE_TARGET_CASES:,}; see below",
            )
        )
        drains = [
            c.drain_per_second
            for c in (_consumer(r.issued, "intake"), _consumer(r.issued, "tracking"))
            if c is not None and c.drain_per_second > 0
        ]
        if r.batch < ANNOUNCE_TARGET_CASES and drains and r.announcement is None:
            # The announce request scaled linearly, then the slower consumer's drain rate.
            scale = ANNOUNCE_TARGET_CASES / r.batch
            projected = r.announce_answer * scale + ANNOUNCE_TARGET_CASES / min(drains)
            rows.append(
                (
                    f"EXTRAPOLATED to {ANNOUNCE_TARGET_CASES:,} from this {r.batch:,}-case run "
                    "(request × scale + cases ÷ slower drain rate)",
                    f"≈ {projected:.0f} s",
                    f"≤ {ANNOUNCE_TARGET_SECONDS:.0f} s",
                    f"{_met(projected <= ANNOUNCE_TARGET_SECONDS)} (estimate, not measured)",
                )
            )
    if r.announcement:
        rows += _announcement_rows(r.announcement)
    return rows


def _announcement_rows(a: AnnouncementStage) -> list[tuple[str, str, str, str]]:
    rows = [
        (
            f"announce {a.cases:,} seeded cases: seeding (SQL) / the request",
            f"{a.seed_seconds:.1f} s / {a.answer_seconds:.1f} s",
            "—",
            "",
        )
    ]
    if a.issued.relay:
        rows.append(
            (
                f"relay commit→published, review, {a.cases:,} `registration.issued`",
                a.issued.relay.ms(),
                "—",
                "",
            )
        )
    for drained in a.issued.consumers:
        target = any(drained.consumer.endswith(f"{s}.events") for s in ("intake", "tracking"))
        rows.append(
            (
                f"`registration.issued` drain rate, {drained.consumer} ({a.cases:,} cases)",
                f"{drained.drain_per_second:.0f} /s ({drained.handled} events), "
                f"commit→inbox {drained.lag.ms() if drained.lag else '—'}",
                "≥ 1,000 /s" if target else "—",
                _met(drained.drain_per_second >= 1000) if target else "",
            )
        )
    if a.visible_in_intake is None or a.visible_in_tracking is None:
        rows.append(
            (
                f"announce {a.cases:,} → all `registered` in intake / all obligations in tracking",
                f"not all within the wait limit: {a.registered:,} registered in intake, "
                f"{a.obligations:,} obligations in tracking at its end",
                f"{ANNOUNCE_TARGET_CASES:,} within {ANNOUNCE_TARGET_SECONDS:.0f} s",
                _met(False),
            )
        )
        return rows
    slowest = max(a.visible_in_intake, a.visible_in_tracking)
    rows.append(
        (
            f"announce {a.cases:,} → all `registered` in intake / all obligations in tracking",
            f"{a.visible_in_intake:.1f} s / {a.visible_in_tracking:.1f} s "
            f"({a.obligations:,} obligations)",
            f"{ANNOUNCE_TARGET_CASES:,} within {ANNOUNCE_TARGET_SECONDS:.0f} s",
            _met(slowest <= ANNOUNCE_TARGET_SECONDS)
            if a.cases >= ANNOUNCE_TARGET_CASES
            else f"not measured at {ANNOUNCE_TARGET_CASES:,} (quick run)",
        )
    )
    return rows


def _start_note(r: Results) -> str:
    times = [r.submitted, r.issued, r.announcement.issued if r.announcement else None]
    if all(t is None or t.since == "commit" for t in times):
        return ""
    return (
        " This server does not track commit times: here every commit→ starts at the"
        " transaction's start."
    )


def render(r: Results) -> str:
    lines = [
        "# Load benchmark results (`make bench-load`, issue 14)",
        "",
        f"Run {r.started}: {r.clients} concurrent clients, {r.batch:,} enterprises "
        f"(each: profile → draft → evidence upload → submit; all approved, one publicity "
        f"batch, announced)"
        + (
            f", then {r.announcement.cases:,} cases seeded ready to announce and announced"
            if r.announcement
            else ""
        )
        + f"; {r.workers} process(es) per service"
        + (" answering the API, and one worker process each" if r.split else "")
        + f"; {r.total_seconds:.0f} s in all.",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in r.machine.items()],
    ]
    if r.load_at_end:
        lines += [f"- load average at the end: {r.load_at_end}"]
    if r.note:
        lines += ["", f"Conditions: {r.note}"]
    if r.error:
        lines += ["", f"**The run stopped early**: {r.error}"]
    lines += [
        "",
        "## Numbers next to the targets",
        "",
        "| measure | this run | target | met |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in _rows(r)],
        "",
        "## Cores busy per component during each phase",
        "",
        "User+system CPU seconds of each process tree per second of the phase (a component at",
        "1.00 keeps one core busy; this machine has "
        f"{r.machine.get('CPUs (nproc)', '?')}). Not measured with `--running`.",
        "",
        *[f"- {phase}: {describe_cpu(cores)}" for phase, cores in r.cpu.items() if cores],
        "",
        "How each is measured: HTTP calls go to the services' own ports (not the gateway), one",
        "phase at a time, so each call kind has its own rate; latencies are per call (an upload",
        "phase makes one call per required document). commit→published and commit→inbox run",
        "from the writing transaction's commit (`pg_xact_commit_timestamp` of `outbox.txid`;",
        "the local PostgreSQL runs with `track_commit_timestamp=on`; a server without it gives",
        "`outbox.created_at`, the transaction's start) to `outbox.published_at` and to",
        "`inbox.handled_at` in the consumer's database; percentiles are nearest-rank."
        + _start_note(r),
        "A handled rate is events / (last handled − first handled): while a consumer keeps up",
        "it is bounded by the arrival rate, so it shows the consumer's ceiling only together",
        "with a growing lag.",
        "",
    ]
    return "\n".join(lines)
