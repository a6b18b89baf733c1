"""Refuse ZIP-based files (DOCX) that would inflate far beyond their size before inflating them.

A 479 kB .docx that inflated to 125 MB ran for minutes and blocked every job behind it. The
central directory states each member's sizes, so the check costs nothing; a member that lies
about its size is caught while reading, by never reading more than it declared.
"""

from __future__ import annotations

import io
import zipfile

from govgraph.errors import FileTooLarge

__all__ = ["MAX_MEMBER_BYTES", "MAX_RATIO", "MAX_TOTAL_BYTES", "check_zip"]

MAX_TOTAL_BYTES = 100 * 1024 * 1024  # everything inside one file, inflated
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # one part (word/document.xml is the big one)
# Real Word XML compresses 5-20x; bombs compress 100-1000x. Small members are exempt because
# a few kB of repeated markup can legitimately compress very well.
MAX_RATIO = 100.0
_RATIO_FLOOR = 1024 * 1024

_HINT = "This looks like a ZIP bomb or a damaged file; open and re-save it, or export it to PDF."


def _mib(n: int) -> str:
    return f"{n / 1_048_576:.1f} MiB"


def check_zip(
    data: bytes,
    *,
    path: str | None,
    max_total: int = MAX_TOTAL_BYTES,
    max_member: int = MAX_MEMBER_BYTES,
    max_ratio: float = MAX_RATIO,
) -> None:
    """Raise FileTooLarge if the archive's declared inflated sizes are over the limits."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except zipfile.BadZipFile:
        return  # the reader reports the damage with its own message
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > max_member:
            raise FileTooLarge(
                f"The part {info.filename} inflates to {_mib(info.file_size)}, over the "
                f"{_mib(max_member)} limit for one part.",
                path=path,
                hint=_HINT,
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > max_ratio * max(
            info.compress_size, 1
        ):
            raise FileTooLarge(
                f"The part {info.filename} inflates {info.file_size / max(info.compress_size, 1):.0f}"
                f" times ({_mib(info.compress_size)} to {_mib(info.file_size)}), over the "
                f"{max_ratio:.0f}x limit.",
                path=path,
                hint=_HINT,
            )
    if total > max_total:
        raise FileTooLarge(
            f"The file inflates to {_mib(total)}, over the {_mib(max_total)} limit.",
            path=path,
            hint=_HINT,
        )
