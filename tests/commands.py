"""Run `mkdocs` and `msp-handbook` commands in a process of their own, without paying for Python's start each time.

Tests run these commands many times (every broken input, every verdict that
validate and the build must share). Each run is a separate process, with its
own folder, environment, arguments, output and exit status, as when a user
types the command; it is forked from a server process that has imported
MkDocs, Material and the plugin once (multiprocessing's forkserver), so the
half second of imports is not repeated. What the command prints, a traceback
included, reaches the test as the command would print it.

Tests about how a command is started (the installed script, the theme's
notice, the README's examples) use a real subprocess instead.
"""

from __future__ import annotations

import atexit
import multiprocessing
import multiprocessing.forkserver
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_PRELOAD = ["mkdocs.__main__", "mkdocs.commands.build", "material.plugins.search.plugin", "material.templates",
            "msp_handbook.plugin", "msp_handbook.cli"]
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(_PRELOAD)


@atexit.register
def _stop_server() -> None:
    # Waited for, so the CPU time of the commands it ran counts in this process's
    # children, as a subprocess's would (`time make test` measures them).
    multiprocessing.forkserver._forkserver._stop()


def _main(program: str, arguments: list[str], cwd: str, env: dict[str, str], output: str, errors: str) -> None:
    """The command's own entry point, as its script in .venv/bin calls it."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    with open(output, "w") as out, open(errors, "w") as err:
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
    sys.stdout = open(1, "w", closefd=False)
    sys.stderr = open(2, "w", closefd=False)
    sys.argv = [program, *arguments]
    if program == "mkdocs":
        from mkdocs.__main__ import cli
    else:
        from msp_handbook.cli import main as cli
    try:
        cli(prog_name=program)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def run(command: list[str], *, cwd: Path, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess:
    """`command` ("mkdocs ..." or "msp-handbook ...") run in `cwd`, like subprocess.run with captured text output.

    Raises subprocess.TimeoutExpired if it is still running after `timeout` seconds.
    """
    program, *arguments = command
    assert program in ("mkdocs", "msp-handbook"), program
    with tempfile.TemporaryDirectory() as folder:
        output, errors = os.path.join(folder, "out"), os.path.join(folder, "err")
        process = _context.Process(target=_main, args=(program, arguments, str(cwd), dict(env or os.environ),
                                                       output, errors))
        process.start()
        process.join(timeout)
        if process.is_alive():
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(command, timeout)
        with open(output) as out, open(errors) as err:
            return subprocess.CompletedProcess(command, process.exitcode, out.read(), err.read())
