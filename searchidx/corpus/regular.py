"""Opening a corpus file for reading only when it is a regular file, without ever blocking."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

NOT_REGULAR = "not a regular file (device, FIFO or socket)"


def open_regular(path: Path) -> BinaryIO:
    """`path` opened for reading, refused (OSError) unless it is a regular file.

    The walk checked the type, but the entry may have been swapped since (for a FIFO, whose open
    would block for good, or a link to /dev/zero, which never ends): the open does not block
    (O_NONBLOCK) and the type is checked on the descriptor itself, so there is no gap.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, NOT_REGULAR, str(path))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
