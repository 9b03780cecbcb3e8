"""A directory of what scanners compile, kept between processes, so that a short-lived one (a one-line
``wanghong compliance scan``) starts in a fraction of the time building takes.

Building a scanner costs about a second and a half before it scans anything: the Unicode fold table (NFKC,
casefold and OpenCC over every code point, ≈0.7 s), pypinyin's dictionary (≈0.4 s to import, ≈0.2 s to turn
into syllable codes) and the pinyin variants of every library term (≈0.4 s). All of it is plain data that
depends only on this package's engine code, the library and the data of pypinyin and OpenCC, so it is pickled
here, in three kinds of file:

* ``tables-<key>.pickle`` — the fold table and the syllable tables (`normalize.FOLD_TABLES`,
  `phonetic.SYLLABLE_TABLES`), installed into the process before any scanner exists;
* ``library-<key>.pickle`` — a library file as parsed and validated, by the digest of its bytes;
* ``lexicon-<key>.pickle`` — one :class:`~wanghong.compliance.engine.scanner_tables.CompiledLexicon` per library
  content (the automata are rebuilt from its keys: ahocorasick-rs objects cannot be pickled; ≈20 ms).

The key is a SHA-256 over the engine's source files, the Python, NumPy and Unicode versions, the installed
pypinyin and OpenCC distributions and, for a library or a lexicon, the library's content, and it is stored
inside the file too: any change makes a new key, never a stale hit. A file is written to a temporary name and
renamed into place (readers see the old file or the new one, never half of one). Whatever goes wrong — a missing,
truncated or foreign file, an unwritable directory — the cache is passed over and the scanner is built as
without it, so results never depend on it (the tests compare both). Pickles are code: only files owned by
this user and writable by nobody else are read, from a directory the caller chooses (the CLI and the server's
reviewer cache: ``compliance`` under ``config.Settings.cache_dir``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
import pickle
import sys
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np

from wanghong.compliance.engine.library import ViolationLibrary, parse_library_bytes, read_library_bytes
from wanghong.compliance.engine.normalize import FOLD_TABLES, UNICODE_SIZE
from wanghong.compliance.engine.phonetic import SYLLABLE_TABLES
from wanghong.compliance.engine.scanner import Scanner
from wanghong.compliance.engine.scanner_tables import CompiledLexicon
from wanghong.compliance.engine.wordbreak import use_cache_directory

# Bumped by hand only if the files' layout changes in a way the source hash would not show.
FORMAT = 1
# Lexicon files kept per directory (one per library content, newest first): a server's edited libraries
# would otherwise pile up; each is a few MiB.
KEEP_LEXICONS = 8
# The packages whose data the tables are made of.
_DATA_PACKAGES = ("pypinyin", "opencc")


@functools.cache
def code_key() -> str:
    """What the compiled data is a function of, besides the library: this engine's code and its data packages."""
    versions = f"format {FORMAT}\n{sys.version}\n{np.__version__}\n{unicodedata.unidata_version}\n"
    digest = hashlib.sha256(versions.encode())
    engine = Path(__file__).resolve().parent
    for source in sorted(engine.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    for package in _DATA_PACKAGES:
        digest.update(_distribution_fingerprint(package).encode() + b"\0")
    return digest.hexdigest()


def _distribution_fingerprint(package: str) -> str:
    """The installed distribution of ``package`` (its dist-info names, which carry the version, and its
    ``__init__``'s size and time), found without importing it: importing pypinyin alone takes ≈0.4 s."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return f"{package}: missing"
    origin = Path(spec.origin)
    stat = origin.stat()
    prefix = f"{package}-"
    try:
        infos = sorted(
            entry.name
            for entry in os.scandir(origin.parent.parent)
            if entry.name.lower().startswith(prefix) and entry.name.endswith(".dist-info")
        )
    except OSError:
        infos = []
    return f"{package}: {origin} {stat.st_size} {stat.st_mtime_ns} {infos}"


def content_key(library: ViolationLibrary) -> str:
    """A digest of what a library says (its canonical JSON)."""
    content = json.dumps(library.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "json:" + hashlib.sha256(content.encode()).hexdigest()


def lexicon_key(content: str, *, phonetic: bool) -> str:
    """The key of a compiled lexicon: the code key, the phonetic switch and the library content's digest."""
    return hashlib.sha256(f"{code_key()}\nlexicon phonetic={phonetic}\n{content}".encode()).hexdigest()


class CompiledCache:
    """Compiled scanner data under ``directory`` (created on first write, mode 0700)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        # Libraries this cache loaded from files, by id: (the library, the digest of its file's bytes), which
        # keys its lexicon without serialising the library again (≈10 ms).
        self._loaded: dict[int, tuple[ViolationLibrary, str]] = {}

    def load_library(self, path: str | Path | None = None) -> ViolationLibrary:
        """:func:`~wanghong.compliance.engine.library.load_library`, from the cache when these very bytes were
        loaded before: parsing and validating the shipped library (every pattern compiled) takes ≈30 ms.
        Raises the same :class:`LibraryError` for an unreadable or invalid file (those are never cached)."""
        data, source = read_library_bytes(path)
        content = "bytes:" + hashlib.sha256(data).hexdigest()
        key = hashlib.sha256(f"{code_key()}\nlibrary\n{content}".encode()).hexdigest()
        library = self._load("library", key)
        if not isinstance(library, ViolationLibrary):
            library = parse_library_bytes(data, source=source)
            self._store("library", key, library, keep=KEEP_LEXICONS)
        self._loaded[id(library)] = (library, content)
        return library

    def scanner(self, library: ViolationLibrary, *, phonetic: bool = True, context: bool = True) -> Scanner:
        """``Scanner(library, phonetic=…, context=…)``, from the cached tables and lexicon when there are any
        (and writing them when there were not); the same scanner either way. jieba's dictionary cache (see
        `wordbreak`) is kept in the same directory."""
        use_cache_directory(self.directory)
        self.install_tables()
        loaded = self._loaded.get(id(library))
        content = loaded[1] if loaded is not None and loaded[0] is library else content_key(library)
        key = lexicon_key(content, phonetic=phonetic)
        compiled = self._load("lexicon", key)
        if not isinstance(compiled, CompiledLexicon) or len(compiled.word_bound) != len(library.entries):
            compiled = None
        scanner = Scanner(library, phonetic=phonetic, context=context, compiled=compiled)
        if compiled is None:
            self._store("lexicon", key, scanner.compiled, keep=KEEP_LEXICONS)
        return scanner

    def install_tables(self) -> bool:
        """Install the cached fold and syllable tables into this process; True when they came from the cache.
        Without a usable file the tables are built (when this process has not yet) and written."""
        key = code_key()
        if not (FOLD_TABLES.ready and SYLLABLE_TABLES.ready):
            payload = self._load("tables", key)
            if _valid_tables(payload):
                fold_table, fold_array, syllable_code, initial_code, syllable_array = payload
                fold_array.setflags(write=False)
                syllable_array.setflags(write=False)
                FOLD_TABLES.install((fold_table, fold_array))
                SYLLABLE_TABLES.install((syllable_code, initial_code, syllable_array))
                return True
        # os.path, not Path.is_file(): that raises for a directory this process may not search (EACCES).
        if not os.path.isfile(self._path("tables", key)):
            fold_table, fold_array = FOLD_TABLES()
            syllable_code, initial_code, syllable_array = SYLLABLE_TABLES()
            self._store("tables", key, (fold_table, fold_array, syllable_code, initial_code, syllable_array), keep=1)
        return False

    # -- files -------------------------------------------------------------------------------------------

    def _path(self, kind: str, key: str) -> Path:
        return self.directory / f"{kind}-{key[:32]}.pickle"

    def _load(self, kind: str, key: str) -> Any:
        """The payload stored under ``key``, or None (no file, another key, or a file not to be trusted)."""
        path = self._path(kind, key)
        try:
            with open(path, "rb") as source:
                stat = os.fstat(source.fileno())
                if hasattr(os, "getuid") and (stat.st_uid != os.getuid() or stat.st_mode & 0o022):
                    return None  # another user could have written it: never unpickle that
                stored = pickle.load(source)
        except FileNotFoundError:
            return None
        except Exception:  # a truncated or outdated pickle raises almost anything: rebuild instead
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key):
            return None
        return stored[1]

    def _store(self, kind: str, key: str, payload: object, *, keep: int) -> bool:
        """Write ``payload`` under ``key`` atomically, then drop the oldest files of its kind beyond ``keep``;
        False when the directory cannot be written (the caller goes on without the cache)."""
        target = self._path(kind, key)
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=self.directory)
            try:
                with os.fdopen(handle, "wb") as sink:
                    pickle.dump((key, payload), sink, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            return False
        self._prune(kind, keep, target)
        return True

    def _prune(self, kind: str, keep: int, newest: Path) -> None:
        try:
            files = [p for p in self.directory.glob(f"{kind}-*.pickle") if p != newest]
            files.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)
            for old in files[keep - 1 :]:
                old.unlink()
        except OSError:
            pass  # another process pruned first, or the directory went away: nothing to keep tidy


def _valid_tables(payload: Any) -> bool:
    if not (isinstance(payload, tuple) and len(payload) == 5):
        return False
    fold_table, fold_array, syllable_code, initial_code, syllable_array = payload
    return (
        isinstance(fold_table, dict)
        and isinstance(syllable_code, dict)
        and isinstance(initial_code, dict)
        and isinstance(fold_array, np.ndarray)
        and isinstance(syllable_array, np.ndarray)
        and fold_array.dtype == np.uint32
        and syllable_array.dtype == np.uint32
        and fold_array.shape == (UNICODE_SIZE,)
        and syllable_array.shape == (UNICODE_SIZE + 1,)
    )
