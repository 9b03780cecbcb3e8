"""The process's compliance reviewer, kept warm through `kit.runtime` and rebuilt when the database moves on.

The engine is heavy to build (≈2 s: Unicode tables, automaton, classifier training), so a runtime builds it once,
lazily, and keeps it. Workers converge on the database's state by comparing two numbers — the highest library
version and the highest model generation — at most every ``CHECK_EVERY_S`` seconds (and at once in the process
that made the change); the engine package itself is imported only when first needed, so importing the services
(as the app does at start-up) stays cheap.

Most of a build is the scanner's compiled data (fold and syllable tables, the lexicon). The runtime's cache keeps it
in `engine.compiled.CompiledCache` under ``Settings.cache_dir``/``compliance`` — the directory `wanghong compliance
scan` uses — so a worker started after another (or after a CLI run) loads it instead of compiling, and workers
share one copy on disk. The scanner is the same either way; a directory that cannot be read or written only costs
the build.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wanghong.compliance import audit
from wanghong.compliance.models import ComplianceExample, ComplianceLibraryVersion, ComplianceModelRun
from wanghong.config import Settings
from wanghong.kit.audit import record
from wanghong.kit.db.session import insert_once
from wanghong.kit.errors import NotFound
from wanghong.kit.runtime import Runtime, Warm, bound_to

if TYPE_CHECKING:
    from wanghong.compliance.engine import ComplianceReviewer, Scanner, ViolationLibrary
    from wanghong.compliance.engine.classifier import ClaimClassifier, LabelledText
    from wanghong.compliance.engine.compiled import CompiledCache

CHECK_EVERY_S = 2.0


def compiled_directory(settings: Settings) -> Path:
    """Where the server and the CLI keep the compiled scanner: ``compliance`` under the settings' cache directory
    (``WANGHONG_CACHE_DIR``, by default ``$XDG_CACHE_HOME/wanghong``, else ``~/.cache/wanghong``)."""
    return Path(settings.cache_dir) / "compliance"


@dataclass
class Engine:
    library_version: int
    generation: int
    reviewer: ComplianceReviewer


class ReviewerCache:
    """The reviewer for the database's newest library version and model generation.

    ``compiled`` is the directory of compiled scanners to load from and write to; None builds every scanner
    afresh (the results are the same)."""

    def __init__(self, compiled: Path | None = None) -> None:
        self.compiled_directory = compiled
        self._compiled: CompiledCache | None = None
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._base: ComplianceReviewer | None = None
        self._classifiers: dict[int, ClaimClassifier | None] = {}
        self._libraries: dict[int, ViolationLibrary] = {}
        self._checked_at = 0.0
        self._database = ""

    def invalidate(self) -> None:
        self._checked_at = 0.0

    def _follow(self, session: Session) -> None:
        """Forget what belongs to another database: version numbers are only unique within one."""
        database = session.get_bind().engine.url.render_as_string(hide_password=True)
        if database != self._database:
            with self._lock:
                self._engine, self._classifiers, self._libraries = None, {}, {}
                self._checked_at, self._database = 0.0, database

    def get(self, session: Session, *, fresh: bool = False) -> Engine:
        """The current engine; ``fresh`` asks the database now instead of trusting a check made moments ago."""
        self._follow(session)
        engine = self._engine
        if not fresh and engine is not None and time.monotonic() - self._checked_at < CHECK_EVERY_S:
            return engine
        version, generation = latest_numbers(session)
        if version is None:
            version = seed_library(session).version
        self._checked_at = time.monotonic()
        if engine is not None and engine.library_version == version and engine.generation == generation:
            return engine
        with self._lock:
            engine = self._engine
            if engine is None or engine.library_version != version or engine.generation != generation:
                engine = self._build(session, version, generation)
                self._engine = engine
            return engine

    def reviewer(self, session: Session) -> ComplianceReviewer:
        """The reviewer for the database's active library and model; cheap after the first call."""
        return self.get(session).reviewer

    def _build(self, session: Session, version: int, generation: int) -> Engine:
        from wanghong.compliance.engine import ComplianceReviewer

        library = self.library(session, version)
        if self._base is None:
            from wanghong.compliance.engine import wordbreak

            self._base = ComplianceReviewer(scanner=self._scanner(library))
            # A worker reviews all day: load jieba's dictionary (about a second) with the engine rather than
            # inside the first request whose text holds a homophone.
            wordbreak.warm()
        base = self._base
        if base.library == library:
            reviewer = base
        else:
            # What base.with_library(library) makes, with the scanner from the compiled cache.
            reviewer = ComplianceReviewer(scanner=self._scanner(library), use_model=False)
            reviewer = reviewer.with_classifier(base.classifier).with_window(base.window)
        if generation:
            if generation not in self._classifiers:
                self._classifiers = {generation: _train_classifier(session, generation, base)}
            reviewer = reviewer.with_classifier(self._classifiers[generation])
        return Engine(version, generation, reviewer)

    def _scanner(self, library: ViolationLibrary) -> Scanner:
        from wanghong.compliance.engine import Scanner

        if self.compiled_directory is None:
            return Scanner(library)
        from wanghong.compliance.engine.compiled import CompiledCache

        if self._compiled is None:
            self._compiled = CompiledCache(self.compiled_directory)
        return self._compiled.scanner(library)

    def library(self, session: Session, version: int) -> ViolationLibrary:
        from wanghong.compliance.engine import parse_library

        self._follow(session)
        cached = self._libraries.get(version)
        if cached is None:
            row = session.scalar(select(ComplianceLibraryVersion).where(ComplianceLibraryVersion.version == version))
            if row is None:
                raise NotFound(f"compliance library version {version} not found")
            cached = parse_library(row.body, source=f"library v{version}")
            self._libraries = {k: v for k, v in self._libraries.items() if k >= version - 4} | {version: cached}
        return cached


REVIEWERS: Warm[ReviewerCache] = Warm(
    "compliance.reviewer", build=lambda settings: ReviewerCache(compiled_directory(settings))
)

_detached: Runtime | None = None
_detached_lock = threading.Lock()


def reviewers_for(session: Session) -> ReviewerCache:
    """The reviewer cache of the runtime the session works under.

    A write hook receives only the session. When the request put its runtime on the session, that is the one;
    otherwise (a session opened outside any runtime) one process-wide runtime serves, built on first need."""
    runtime = bound_to(session)
    if runtime is None:
        global _detached
        with _detached_lock:
            if _detached is None:
                _detached = Runtime(Settings.from_env())
            runtime = _detached
    return runtime.get(REVIEWERS)


def latest_numbers(session: Session) -> tuple[int | None, int]:
    """The database's highest library version (None before the first) and model generation (0 before the first)."""
    runs = select(func.max(ComplianceModelRun.id)).scalar_subquery()
    version, generation = session.execute(select(func.max(ComplianceLibraryVersion.version), runs)).one()
    return version, generation or 0


def seed_library(session: Session) -> ComplianceLibraryVersion:
    """Store the shipped library as the first version; a racing worker that seeded first wins harmlessly."""
    from wanghong.compliance.engine import load_library

    shipped = load_library()
    row = ComplianceLibraryVersion(
        version=shipped.version, body=shipped.to_dict(), change_summary="随包词库 / shipped library.json"
    )
    if not insert_once(session, row):
        existing = session.scalar(select(ComplianceLibraryVersion).where(ComplianceLibraryVersion.version == 1))
        if existing is None:
            raise
        return existing
    record(session, None, audit.LIBRARY_SEED, row, {"version": shipped.version, "entries": len(shipped)})
    return row


def training_examples(session: Session, up_to_id: int | None) -> list[LabelledText]:
    """Reviewer-labelled examples the claim classifier learns from, up to an example id (None: all so far)."""
    from wanghong.compliance.engine.classifier import LABELS, LabelledText

    stmt = select(ComplianceExample).where(ComplianceExample.label.in_(LABELS)).order_by(ComplianceExample.id)
    if up_to_id is not None:
        stmt = stmt.where(ComplianceExample.id <= up_to_id)
    # Each reviewed example is its own template group, so a held-out split never leaks it.
    return [LabelledText(e.text, e.label, f"review:{e.id}") for e in session.scalars(stmt)]


def _train_classifier(session: Session, generation: int, base: ComplianceReviewer) -> ClaimClassifier | None:
    from wanghong.compliance.engine.classifier import ClaimClassifier, load_claims

    run = session.get(ComplianceModelRun, generation)
    last = int(run.metrics.get("last_example_id", 0)) if run is not None else 0
    extra = training_examples(session, last)
    return ClaimClassifier(base.scanner.normalizer.fold).fit([*load_claims(), *extra])
