"""Writing an --out file whole or not at all: a temp file beside it, renamed over it once complete.

On any failure the temp file is removed and the old file (if any) is left as it was. A symlink is
followed, so the file it points to is replaced and the link stays. A target that is not a regular
file (/dev/stdout, /dev/null, a named pipe) is written directly: renaming over it would replace
the device or pipe itself.
"""
from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from .errors import BadInput


@contextmanager
def output_file(out: str, mode: str, encoding: str | None = None) -> Iterator[IO]:
    """Open out for writing (mode "w" or "wb"); an OSError is BadInput("cannot write OUT: …")."""
    newline = "" if "b" not in mode else None  # text: the caller writes its own line ends (CSV: CRLF)
    try:
        if _is_special(out):
            with open(out, mode, encoding=encoding, newline=newline) as stream:
                yield stream
        else:
            with _replacing(os.path.realpath(out), mode, encoding, newline) as stream:
                yield stream
    except BrokenPipeError:
        raise  # --out /dev/stdout into `| head`: the reader left, as with plain stdout (the CLI exits quietly)
    except OSError as error:
        raise BadInput(f"cannot write {out}: {error.strerror or error}") from None


def _is_special(path: str) -> bool:
    """True if path (followed through symlinks) exists and is not a regular file."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False  # missing (or unreadable): the write itself will say what is wrong


@contextmanager
def _replacing(target: str, mode: str, encoding: str | None, newline: str | None) -> Iterator[IO]:
    """A temp file beside target that replaces it (keeping its permissions) once the block completes."""
    folder, name = os.path.split(target)
    tmp = os.path.join(folder, f".{name}.{uuid.uuid4().hex[:8]}.tmp")
    # os.open with 0o666 lets the umask decide the mode of a new file, as for any other.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with open(fd, mode, encoding=encoding, newline=newline) as stream:
            yield stream
        _keep_mode(target, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _keep_mode(target: str, tmp: str) -> None:
    """Give tmp the permissions of the file it replaces (a private 0600 export stays private)."""
    try:
        os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
    except FileNotFoundError:
        pass
