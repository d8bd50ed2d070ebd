"""Writing alert lines to stdout so that "written" means the reader really has the line.

An alert counts as emitted only once its line is out of our hands. For a file or a terminal that is
a successful write and flush. For a pipe it is stricter: a flushed line may still sit in the pipe's
buffer when the reader goes away (``situation-room watch | head -1`` reads one line and exits), and
such a line would be lost. So on a pipe we wait, after each line, until the reader has taken every
byte out of the pipe (``FIONREAD`` on the write end reaches 0), and a reader that closes its end
first (``POLLERR``) makes the line count as not written.
"""

from __future__ import annotations

import asyncio
import os
import select
import stat
import struct
from typing import BinaryIO

try:
    import fcntl
    import termios
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]
    termios = None  # type: ignore[assignment]


class OutputClosed(Exception):
    """The reader of our output went away (EPIPE, or it closed the pipe before taking the line)."""


class OutputFailed(Exception):
    """Our output cannot be written for another reason (a full disk, an I/O error): a real failure."""


def _is_pipe(fd: int) -> bool:
    try:
        return stat.S_ISFIFO(os.fstat(fd).st_mode)
    except OSError:
        return False


def _unread_bytes(fd: int) -> int | None:
    """Bytes still in the pipe behind ``fd`` (either end), or None when the OS cannot tell."""
    if fcntl is None or termios is None:
        return None
    try:
        raw = fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0")
    except OSError:
        return None
    value: int = struct.unpack("i", raw)[0]
    return value


def _reader_gone(fd: int) -> bool:
    poller = select.poll()
    poller.register(fd, select.POLLERR | select.POLLHUP)
    return any(ev & (select.POLLERR | select.POLLHUP) for _fd, ev in poller.poll(0))


class LineOutput:
    """A binary stream (stdout) that writes one line at a time and knows when the reader took it."""

    def __init__(self, stream: BinaryIO, *, wait_for_reader: bool | None = None) -> None:
        self._stream = stream
        try:
            self._fd: int | None = stream.fileno()
        except (OSError, ValueError, AttributeError):
            self._fd = None
        if wait_for_reader is None:
            wait_for_reader = self._fd is not None and _is_pipe(self._fd)
        if wait_for_reader and (self._fd is None or _unread_bytes(self._fd) is None):
            wait_for_reader = False
        self.wait_for_reader = wait_for_reader

    def reader_gone(self) -> bool:
        """True when our stdout is a pipe whose reader has closed it (checked without writing)."""
        return self.wait_for_reader and self._fd is not None and _reader_gone(self._fd)

    async def write_line(self, data: bytes, *, stop: asyncio.Event | None = None) -> None:
        """Write and flush ``data``; on a pipe, return once the reader has taken it.

        Raises OutputClosed when the reader has gone, OutputFailed on any other write error. When
        ``stop`` is set while waiting for the reader, the line counts as written (it was flushed;
        the reader may still take it).
        """
        try:
            self._stream.write(data)
            self._stream.flush()
        except (BrokenPipeError, ConnectionResetError) as exc:
            raise OutputClosed(str(exc)) from None
        except (OSError, ValueError) as exc:  # ValueError: the stream was closed under us
            raise OutputFailed(getattr(exc, "strerror", None) or str(exc)) from None
        if self.wait_for_reader and self._fd is not None:
            await self._until_taken(self._fd, stop)

    async def _until_taken(self, fd: int, stop: asyncio.Event | None) -> None:
        delay = 0.002
        while True:
            unread = _unread_bytes(fd)
            if not unread:
                return
            if _reader_gone(fd):
                raise OutputClosed("the reader closed the pipe")
            if stop is not None and stop.is_set():
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)
