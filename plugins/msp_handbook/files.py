"""What is on disk: listing folders and reading files without ever hanging or crashing.

Everything the handbook reads goes through here, so a named pipe (reading
it would wait forever), a socket, a device, a symbolic link that loops or
leads out of the repository, or a folder that cannot be listed becomes a
problem at its path instead of a hang or a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from .problems import Problem

MAX_FILE_BYTES = 1_000_000

FILE, FOLDER = "file", "folder"


def listing(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The entries of `folder` in name order, hidden ones left out; a problem if it cannot be listed."""
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        return [], [_unusable(folder, error, "folder")]
    return [folder / name for name in names if not name.startswith(".")], []


def optional_folder(folder: Path, holds: str) -> tuple[list[Path], list[Problem]]:
    """The entries of a folder a partnership may have (`log/`, `reviews/`): none if it is absent,
    a problem if it is a file or cannot be listed. `holds` words the message ("log entries")."""
    if not os.path.lexists(folder):
        return [], []
    if (what := kind(folder)) != FOLDER:
        return [], [what if isinstance(what, Problem) else Problem(
            folder, 0, 0, f"should be the folder of {holds}, but is a file", "rename the file")]
    return listing(folder)


def kind(path: Path) -> str | Problem:
    """FILE or FOLDER (after following links), or why `path` is neither."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return _unusable(path, error, "file")
    if stat.S_ISDIR(mode):
        return FOLDER
    if stat.S_ISREG(mode):
        return FILE
    return _special(path, mode)


def special_files(folder: Path) -> list[Problem]:
    """Everything under `folder` that is not an ordinary file or folder, or that cannot be read.

    For the docs folder, whose files MkDocs reads itself: reading a named
    pipe would wait for ever, and a link to a folder that holds it would be
    followed round and round. Hidden files are left out, as MkDocs leaves them.
    """
    problems: list[Problem] = []
    for directory, folders, names in os.walk(folder, onerror=lambda error: problems.append(
            _unusable(Path(error.filename), error, "folder"))):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in [*folders, *names]:
            if name.startswith("."):
                continue
            path = Path(directory) / name
            what = kind(path)
            if isinstance(what, Problem):
                problems.append(what)
            elif what == FOLDER and path.is_symlink() and path.parent.resolve().is_relative_to(path.resolve()):
                problems.append(Problem(path, 0, 0, "is a symbolic link to a folder that contains it, a loop",
                                        "delete the link"))
    return problems


def inside(path: Path, root: Path) -> Problem | None:
    """A problem if `path`, its links followed, leads out of `root` (or nowhere)."""
    try:
        target = _real_path(path)
    except (OSError, RuntimeError) as error:  # RuntimeError: a loop, before Python 3.13
        return _unusable(path, error if isinstance(error, OSError) else OSError(errno.ELOOP, ""), "file")
    # Lexically under `root` is enough, which saves resolving `root` for every file: a resolved
    # path holds no link and no '..', so a part of it equal to `root` is `root`'s real folder.
    if _under(target, root) or _under(target, root.resolve()):
        return None
    what = "folder" if os.path.isdir(target) else "file"
    return Problem(path, 0, 0, f"is a symbolic link to {target}, outside the repository",
                   f"copy the {what} into the repository instead of linking to it")


def _under(target: str, root: Path) -> bool:
    """Whether `target` is `root` or a path in it, as Path.is_relative_to tells, from the text alone."""
    folder = os.fspath(root)
    return target == folder or target.startswith(folder.rstrip(os.sep) + os.sep)


# While a handbook loads (see folders_resolved_once): folder -> its real path.
_REAL_FOLDERS: ContextVar[dict[str, str] | None] = ContextVar("real_folders", default=None)


@contextmanager
def folders_resolved_once() -> Iterator[None]:
    """While reading a whole handbook, each folder's real path is found once, not for each file in it.

    Resolving a path asks the system about every folder on the way (six at
    least for a log entry); the file itself is still checked each time.
    """
    token = _REAL_FOLDERS.set({})
    try:
        yield
    finally:
        _REAL_FOLDERS.reset(token)


def _real_path(path: Path) -> str:
    """`path` with every link and '..' resolved (strictly: it must exist), as Path.resolve gives it."""
    folders = _REAL_FOLDERS.get()
    folder, name = os.path.split(path)
    if folders is None or not folder or name in ("", ".", ".."):
        return os.fspath(path.resolve(strict=True))
    try:
        is_link = stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        is_link = True  # the full resolution says why it cannot be reached
    if is_link:
        return os.fspath(path.resolve(strict=True))
    if folder not in folders:
        folders[folder] = os.fspath(Path(folder).resolve(strict=True))
    # Not a link, nor '.' or '..': its real path is its folder's and its name.
    return os.path.join(folders[folder], name)


def read_text(path: Path, root: Path) -> tuple[str | None, list[Problem]]:
    """The file's text, or the reasons it cannot be used as a source file."""
    # Resolved, so a link anywhere on the way (the file, its log folder or
    # the partnership folder) cannot publish a file from outside.
    outside = inside(path, root)
    if outside is not None:
        return None, [outside]
    try:
        # Never blocks, even on a named pipe: what was opened is checked
        # before reading, so swapping the file in between changes nothing.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as error:
        return None, [_unusable(path, error, "file")]
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None, [_special(path, status.st_mode)]
        if status.st_size > MAX_FILE_BYTES:
            return None, [Problem(path, 0, 0, f"is {status.st_size:,} bytes; source files are limited to "
                                  f"{MAX_FILE_BYTES:,} bytes", "split the content or remove what does not belong in the record")]
        raw = read_up_to(descriptor, MAX_FILE_BYTES + 1, status.st_size)
    except OSError as error:
        return None, [_unusable(path, error, "file")]
    finally:
        os.close(descriptor)
    return decode(raw, path)


def read_up_to(descriptor: int, limit: int, size: int) -> bytes:
    """At most `limit` bytes of an open file, up to its end, as a buffered stream's read(limit) gives them.

    `size` (the file's size when asked) sizes the first read: a stream asked
    for `limit` bytes sets that much memory aside first, a megabyte for every
    file. Reading goes on to the end, so a file that grew since is read as far.
    """
    chunks = []
    wanted, left = min(size + 1, limit), limit
    while left > 0:
        chunk = os.read(descriptor, min(wanted, left))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
        wanted = max(wanted, _READ_ON_BYTES)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


# How much is read at a time from a file that was longer than its size said.
_READ_ON_BYTES = 65_536


def decode(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    """The UTF-8 text of a file's bytes, refused if it holds anything no record means."""
    if len(raw) > MAX_FILE_BYTES:  # grew while being read
        return None, [Problem(path, 0, 0, f"is more than {MAX_FILE_BYTES:,} bytes; source files are limited to "
                              f"{MAX_FILE_BYTES:,} bytes", "split the content or remove what does not belong in the record")]
    if b"\x00" in raw:
        return None, [Problem(path, 0, 0, "is a binary file, not text", "save it as plain UTF-8 text")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        # Columns count characters, as editors and the YAML messages do.
        column = len(raw[line_start:error.start].decode("utf-8", errors="replace")) + 1
        return None, [
            Problem(path, line, column, f"is not valid UTF-8 text (byte 0x{raw[error.start]:02X})",
                    "save the file with UTF-8 encoding in your editor")
        ]
    if not text.strip():
        return None, [Problem(path, 0, 0, "is empty", "add content, or delete the file")]
    invisible = _INVISIBLE.search(text)
    if invisible:
        line, column = line_and_column(text, invisible.start())
        if invisible.group() == "\ufeff":
            # Left where two files were pasted together; YAML's own message would be "did not find expected key".
            return None, [Problem(path, line, column, "contains a byte-order mark (U+FEFF, invisible) here, "
                                  "not at the start of the file", "delete the invisible character at this position: "
                                  "delete and retype the line in a plain-text editor")]
        return None, [Problem(path, line, column, f"contains the invisible control character U+{ord(invisible.group()):04X}",
                              "delete it; retyping the text around it in a plain-text editor helps")]
    return text, []


# C0 and C1 control characters other than tab, line feed and carriage return,
# and a byte-order mark after the start: never meant in a record, and some
# would reach pages or terminals.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]")


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of the character at `index`."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _special(path: Path, mode: int) -> Problem:
    what = ("a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file")
    return Problem(path, 0, 0, f"is {what}, not a file", "delete it, or replace it with an ordinary file")


def _unusable(path: Path, error: OSError, what: str) -> Problem:
    if error.errno == errno.ELOOP:
        return Problem(path, 0, 0, "is a symbolic link that leads round in a loop",
                       f"delete the link, or point it at a real {what}")
    if error.errno == errno.ENOENT and os.path.islink(path):
        return Problem(path, 0, 0, f"is a symbolic link to {os.readlink(path)}, which does not exist",
                       f"delete the link, or point it at a real {what}")
    return Problem(path, 0, 0, f"cannot be read: {error.strerror or error}",
                   f"check that the {what} exists and that you may read it")
