"""Where and when an uploaded file is written (the content checks are ``attachment_validate``'s).

A file is first written (and fsynced) under ``<PRIVATE_MEDIA_ROOT>/.staging/`` and moved to its
final path by ``os.replace`` only when the transaction that records its row commits. When the
transaction rolls back — a rejected file beside it, a failed audit write, a lost connection —
the staged file is removed at the end of the request (or Celery task); one left behind by a
killed process is found by ``manage.py find_orphan_files``. Until the commit, the row's own
transaction reads the staged copy (``attachment_file``).

A full disk (ENOSPC, EDQUOT) is a ``StorageFull`` error with a message for people, never a 500.
"""
from __future__ import annotations

import errno
import logging
import os
import threading
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from .exceptions import DomainError

log = logging.getLogger(__name__)

STAGING = ".staging"
_FULL = {errno.ENOSPC, errno.EDQUOT}
_pending = threading.local()


class StorageFull(DomainError):
    code = "storage_full"
    http_status = 507

    def __init__(self):
        super().__init__(_("服务器存储空间已满，文件未能保存，本次提交没有生效。请联系系统管理员清理空间后重试。"))


def root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT)


def staged_path(relative: str) -> Path:
    return root() / STAGING / relative.replace("/", "_")


def final_path(relative: str) -> Path:
    return root() / relative


def _write_chunk(fd: int, data: memoryview) -> int:
    return os.write(fd, data)


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    try:
        view = memoryview(data)
        while view:
            view = view[_write_chunk(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _pending_list() -> list[tuple[Path, Path]]:
    if not hasattr(_pending, "files"):
        _pending.files = []
    return _pending.files


def stage(relative: str, data: bytes) -> None:
    """Write ``data`` for the stored path ``relative``; it reaches its place when the caller commits."""
    staged, target = staged_path(relative), final_path(relative)
    try:
        staged.parent.mkdir(parents=True, exist_ok=True)
        _write(staged, data)
    except OSError as error:
        staged.unlink(missing_ok=True)
        if error.errno in _FULL:
            log.error("upload refused, storage full at %s: %s", root(), error)
            raise StorageFull() from error
        raise
    entry = (staged, target)
    _pending_list().append(entry)
    transaction.on_commit(lambda: _move_into_place(entry), robust=True)


def _move_into_place(entry: tuple[Path, Path]) -> None:
    staged, target = entry
    try:
        _pending_list().remove(entry)
    except ValueError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)


def discard_uncommitted(**_kwargs) -> int:
    """Remove the staged files of this thread whose transaction did not commit. Connected to the
    end of every request and Celery task; does nothing while a transaction is still open."""
    files = _pending_list()
    if not files or connection.in_atomic_block:
        return 0
    removed = 0
    for staged, _target in list(files):
        staged.unlink(missing_ok=True)
        removed += 1
    files.clear()
    return removed


def attachment_file(relative: str) -> Path:
    """The file of a stored path: in place once committed, staged within its own transaction."""
    target = final_path(relative)
    if not target.exists():
        staged = staged_path(relative)
        if staged.exists():
            return staged
    return target
