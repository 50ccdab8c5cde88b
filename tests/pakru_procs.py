"""Run pakru as many real processes, cheaply: forked from a parent that has already imported it.

`python -m pakru` spends ~0.15 s of its ~0.2 s importing typer, yaml and rapidfuzz.
Tests that run pakru a hundred times start one "zygote" instead: a separate Python
process that imports pakru once, then for each request forks a child that runs
`python -m pakru ARGS` (runpy, as -m does) with its own environment, working
folder, stdin from /dev/null and stdout/stderr captured, and reports the child's
exit status. An uncaught exception in the child prints its traceback and exits 1,
as Python does. Every run has 1 GiB of address space (a file read whole by mistake
fails fast) and a time limit. Set PAKRU_TEST_EXEC=1 to run every request as a
fresh `python -m pakru` instead.

Also here: running pakru as an unprivileged user, on a dataset and a copy of pakru
that user can read.
"""

from __future__ import annotations

import atexit
import base64
import importlib.metadata
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest

from conftest import FIXTURE

ZYGOTE = r"""
import base64, json, os, resource, runpy, signal, sys, tempfile, traceback
# what every run imports
for name in ("yaml", "pakru.cli", "pakru.dataset.load", "pakru.dataset.check", "pakru.store"):
    try:
        __import__(name)
    except Exception:
        pass  # the child's own import reports it

MEMORY = 1 << 30

def child(req, out, err):
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0); os.dup2(out.fileno(), 1); os.dup2(err.fileno(), 2)
        os.chdir(req["cwd"])
        signal.alarm(max(1, int(req["timeout"])))  # a hang ends as a SIGALRM death, -14
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
        os.environ.clear(); os.environ.update(req["env"])
        sys.argv = ["pakru", *req["args"]]
        try:
            runpy.run_module("pakru", run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:
                print(exc.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass
        os._exit(code)

for line in sys.stdin:
    req = json.loads(line)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:
            child(req, out, err)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        res = []
        for f in (out, err):
            f.seek(0)
            res.append(base64.b64encode(f.read()).decode())
    print(json.dumps({"code": code, "stdout": res[0], "stderr": res[1]}), flush=True)
"""


MEMORY = 1 << 30  # bytes of address space for each run


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


class Zygote:
    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        if not os.environ.get("PAKRU_TEST_EXEC") and hasattr(os, "fork"):
            self.proc = subprocess.Popen(
                [sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )

    def run(
        self, *args: str, env: dict[str, str] | None = None, cwd: str | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[bytes]:
        """pakru ARGS with os.environ plus env, as `python -m pakru` would run."""
        full_env = {**os.environ, **(env or {})}
        if self.proc is None:
            cmd = [sys.executable, "-m", "pakru", *args]
            return subprocess.run(
                cmd, capture_output=True, env=full_env, cwd=cwd, timeout=timeout, preexec_fn=limit_memory
            )
        req: dict[str, Any] = {
            "args": list(args),
            "env": full_env,
            "cwd": cwd or os.getcwd(),
            "timeout": timeout,
        }
        stdin: IO[str] | None = self.proc.stdin
        stdout: IO[str] | None = self.proc.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps(req) + "\n")
        stdin.flush()
        line = stdout.readline()
        if not line:
            raise RuntimeError("the pakru zygote died")
        res = json.loads(line)
        return subprocess.CompletedProcess(
            ["pakru", *args], res["code"], base64.b64decode(res["stdout"]), base64.b64decode(res["stderr"])
        )

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


@pytest.fixture(scope="module", name="zygote")
def zygote_fixture() -> Iterator[Zygote]:
    """One zygote per test module; import zygote_fixture to use it."""
    z = Zygote()
    yield z
    z.close()


def timed(z: Zygote, *args: str, **kw: Any) -> tuple[subprocess.CompletedProcess[bytes], float]:
    start = time.monotonic()
    r = z.run(*args, **kw)
    return r, time.monotonic() - start


def as_nobody() -> list[str]:
    """The prefix that runs a command as an unprivileged user, or [] when we are one."""
    if os.geteuid() != 0:
        return []
    if sys.platform != "linux" or shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def run_as_nobody(base: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """python -m pakru ARGS as nobody, in base, with base/cache as its cache folder.

    As root, the run uses a copy of pakru and its runtime dependencies that nobody can
    read (see nobody_runtime): the checkout and its venv may sit in a folder that only
    root may enter, such as a `mktemp -d` folder (mode 0700).
    """
    env = {**os.environ, "PAKRU_CACHE_DIR": str(base / "cache")}
    prefix = as_nobody()
    if prefix:
        python, lib = nobody_runtime()
        # -S: no site-packages, so only the copy (PYTHONPATH) and the standard library count
        cmd = [*prefix, python, "-S", "-m", "pakru", *args]
        env.update(PYTHONPATH=str(lib), PYTHONDONTWRITEBYTECODE="1")
    else:
        cmd = [sys.executable, "-m", "pakru", *args]
    return subprocess.run(cmd, capture_output=True, env=env, timeout=60, cwd=base, preexec_fn=limit_memory)


_runtime: tuple[str, Path] | None = None


def nobody_runtime() -> tuple[str, Path]:
    """This environment's Python and a folder anyone can read holding pakru and the
    distributions it needs at run time (from its installed metadata), copied once per
    test session. Skips when nobody cannot run this Python itself."""
    global _runtime
    if _runtime is not None:
        return _runtime
    python = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    probe = subprocess.run([*as_nobody(), python, "-S", "-c", "pass"], capture_output=True, cwd="/")
    if probe.returncode != 0:
        pytest.skip(
            f"user nobody cannot run this Python ({python}: it sits in a folder only its owner "
            "may enter), so the tests of file permissions cannot run here"
        )
    base = Path(tempfile.mkdtemp(prefix="pakru-runtime-"))
    atexit.register(shutil.rmtree, base, True)
    lib = base / "lib"
    import pakru

    shutil.copytree(Path(pakru.__file__).parent, lib / "pakru")  # an editable install lists no files
    for dist in runtime_distributions():
        for file in dist.files or ():
            source = Path(str(dist.locate_file(file)))
            if ".." not in file.parts and source.is_file():
                (lib / file).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, lib / file)  # copy2 keeps mtimes: the .pyc files stay valid
    for root, _dirs, files in os.walk(base):
        os.chmod(root, 0o755)  # whatever the umask made of them
        for name in files:
            os.chmod(os.path.join(root, name), 0o644)
    _runtime = python, lib
    return _runtime


def runtime_distributions() -> list[importlib.metadata.Distribution]:
    """The distributions pakru's [project].dependencies bring in, transitively."""
    from packaging.requirements import Requirement

    found: dict[str, importlib.metadata.Distribution] = {}
    todo = ["pakru"]
    while todo:
        dist = importlib.metadata.distribution(todo.pop())
        for spec in dist.requires or ():
            req = Requirement(spec)
            name = req.name.lower().replace("_", "-")
            if name not in found and (req.marker is None or req.marker.evaluate({"extra": ""})):
                found[name] = importlib.metadata.distribution(req.name)
                todo.append(req.name)
    return list(found.values())


@contextmanager
def shared_folder(dataset: Path, cache_mode: int = 0o777) -> Iterator[Path]:
    """A folder anyone can read (pytest's tmp_path is root's alone) holding ds/ and cache/."""
    base = Path(tempfile.mkdtemp(prefix="pakru-shared-"))
    try:
        base.chmod(0o755)
        shutil.copytree(dataset, base / "ds")
        (base / "cache").mkdir()
        (base / "cache").chmod(cache_mode)
        yield base
    finally:
        for root, dirs, _files in os.walk(base):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(base, ignore_errors=True)


# The cache tests' helpers: they know only that the cache is one file in PAKRU_CACHE_DIR.
COMMANDS = (["timeline", "--json"], ["search", "helicopters", "--json"], ["show", "beta-002", "--json"])


@pytest.fixture(name="ds")
def ds_fixture(tmp_path: Path) -> Path:
    """A copy of the fixture dataset."""
    shutil.copytree(FIXTURE, tmp_path / "ds")
    return tmp_path / "ds"


@pytest.fixture(name="cache")
def cache_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, PAKRU_CACHE_DIR."""
    monkeypatch.setenv("PAKRU_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def cache_files(folder: Path) -> list[Path]:
    """The databases in a cache folder: not temporary files, not SQLite's side files, not the memo
    of rendered references (pakru.queries.citation.MEMO_FILE)."""
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    return [
        p
        for p in files
        if p.name[0] != "."
        and not p.name.endswith(("-wal", "-shm", "-journal"))
        and p.name != "references.pakru.json"
    ]


def the_cache_file(folder: Path) -> Path:
    files = cache_files(folder)
    assert len(files) == 1, files
    return files[0]


_EXPECTED: dict[str, dict[str, object]] = {}


def expected(z: Zygote, ds: Path) -> dict[str, object]:
    """What --no-cache prints for COMMANDS (computed once for each content of events.yaml)."""
    key = (ds / "events.yaml").read_text(encoding="utf-8")
    if key not in _EXPECTED:
        _EXPECTED[key] = {
            " ".join(c): json.loads(z.run("--no-cache", "--data", str(ds), *c).stdout) for c in COMMANDS
        }
    return _EXPECTED[key]


def warned(stderr: bytes) -> bool:
    return any("warning" in line and "cache" in line for line in stderr.decode().lower().splitlines())


def difference(got: object, want: object, where: str = "") -> str:
    """Where two JSON values first differ (this module's asserts are not rewritten by pytest)."""
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        return next(
            (
                difference(g, w, f"{where}[{i}]")
                for i, (g, w) in enumerate(zip(got, want, strict=True))
                if g != w
            ),
            "",
        )
    if isinstance(got, dict) and isinstance(want, dict) and got.keys() == want.keys():
        return next((difference(got[k], want[k], f"{where}.{k}") for k in got if got[k] != want[k]), "")
    return f"{where or 'the output'}: {got!r:.200} instead of {want!r:.200}"


def assert_correct(r: subprocess.CompletedProcess[bytes], want: object) -> None:
    """Exit 0, no traceback, and the JSON that --no-cache gives."""
    assert r.returncode == 0, f"exit {r.returncode}: {r.stderr!r}"
    assert b"Traceback" not in r.stderr, r.stderr
    got = json.loads(r.stdout)
    assert got == want, f"{difference(got, want)} (stderr: {r.stderr!r})"
