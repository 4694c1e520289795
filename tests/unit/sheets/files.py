"""Build .xlsx files for tests: ordinary ones with openpyxl, odd ones by editing their XML."""

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def make_xlsx(
    rows: Iterable[Sequence[object]],
    *,
    formats: dict[tuple[int, int], str] | None = None,
) -> bytes:
    """Return an .xlsx whose first sheet holds ``rows``; ``formats`` maps (row, col) to formats."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row=row, column=column).number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_members(data: bytes, change: Callable[[str, bytes], bytes]) -> bytes:
    """Return a copy of the zip ``data`` with every member passed through ``change``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


def with_sheet_data(data: bytes, sheet_data: bytes, *, dimension: bool = True) -> bytes:
    """Return a copy of the .xlsx ``data`` whose first sheet's <sheetData> is ``sheet_data``.

    With ``dimension=False`` the sheet loses its <dimension>, as sheets written by some
    programs (and by openpyxl's write-only mode) have none.
    """

    def change(name: str, content: bytes) -> bytes:
        if name != SHEET:
            return content
        if not dimension:
            content = re.sub(rb"<dimension[^>]*>", b"", content)
        return re.sub(
            rb"<sheetData\s*/>|<sheetData>.*</sheetData>", lambda _: sheet_data, content, flags=re.S
        )

    return rewrite_members(data, change)


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """Return a copy of the zip ``data`` whose central directory claims ``member`` is ``size``.

    Only the declared size changes, which is what a zip bomb's directory looks like before
    anything is inflated.
    """
    archive = bytearray(data)
    name = member.encode()
    # Central directory header: signature PK\x01\x02, uncompressed size at offset 24 (4 bytes),
    # file name length at 28, file name at 46.
    position = archive.find(b"PK\x01\x02")
    while position != -1:
        length = int.from_bytes(archive[position + 28 : position + 30], "little")
        if archive[position + 46 : position + 46 + length] == name:
            archive[position + 24 : position + 28] = size.to_bytes(4, "little")
            return bytes(archive)
        position = archive.find(b"PK\x01\x02", position + 4)
    raise KeyError(member)
