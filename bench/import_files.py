"""Benchmark the file imports: a 10,000-contestant .xlsx and a 50,000-mark contest package.

    python bench/import_files.py [--contestants 10000] [--marks 50000] [--repeat 3]

Each measurement runs in a fresh Python process, so its peak resident memory (maxrss) is its
own; the best wall time of ``--repeat`` runs is reported. Reading the same .xlsx with openpyxl
alone is the floor that ``read_table`` cannot beat. tracemalloc's peak (Python allocations
only) is measured in a separate run, since tracing slows the code down.

The generators and ``measure`` are importable, so the database part of an import can be added
to this benchmark later.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competitions.package.schema import parse_package  # noqa: E402
from competitions.sheets.contestants import COLUMNS, parse_contestants  # noqa: E402
from competitions.sheets.reader import SheetError, read_table  # noqa: E402
from competitions.sheets.validators import id_check_character  # noqa: E402

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯健俊帆鑫晨"
DISTRICTS = ("440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310")
EVENTS = {f"E{n:02d}": n > 18 for n in range(1, 21)}  # E19 and E20 are team events
TEAM_SIZE = 3


def make_id_number(rng: random.Random) -> str:
    """Return a random valid resident ID number for someone aged 18 to 60."""
    born = date(1966, 1, 1) + timedelta(days=rng.randrange(42 * 365))
    body = f"{rng.choice(DISTRICTS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + id_check_character(body)


def contestant_rows(count: int, seed: int = 2026) -> list[list[str]]:
    """Return ``count`` valid contestant rows in the import column order (no header)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    rows = []
    codes = list(EVENTS)
    for index in range(count):
        code = codes[index * len(codes) // count]
        id_number = make_id_number(rng)
        while id_number in seen:
            id_number = make_id_number(rng)
        seen.add(id_number)
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        team = f"{code}代表队{index // TEAM_SIZE:04d}" if EVENTS[code] else ""
        rows.append(
            [
                code,
                name,
                f"深圳市{rng.choice(GIVEN)}{rng.choice(GIVEN)}精密制造有限公司",
                id_number,
                f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}",
                team,
                "" if team else f"A{index:05d}",
                "",
            ]
        )
    return rows


def make_contestants_xlsx(count: int) -> bytes:
    """Return an .xlsx with a header row and ``count`` contestant rows.

    It is written in openpyxl's ordinary mode, which like Excel puts a <dimension> ahead of
    the rows; write-only mode leaves it out, and openpyxl then reads such a sheet twice.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报名表"
    sheet.append([column.zh for column in COLUMNS])
    for row in contestant_rows(count):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_package(marks_wanted: int, *, events: int = 20, judges: int = 5) -> str:
    """Return a valid contest package with about ``marks_wanted`` marks (every judge marks
    every criterion of every entry)."""
    criteria_per_event = 5
    entries = max(1, marks_wanted // (events * judges * criteria_per_event))
    rng = random.Random(7)
    package_events = []
    for e in range(events):
        criteria = [
            {"code": f"T{c}", "name": {"zh": f"理论{c}"}, "type": "marks", "max": 20}
            for c in range(1, 3)
        ] + [
            {"code": "P1", "name": {"zh": "安装"}, "type": "marks", "max": 40},
            {"code": "P2", "name": {"zh": "工艺"}, "type": "judgement", "max": 30},
            {"code": "P3", "name": {"zh": "安全"}, "type": "deduction", "max": 10},
        ]
        judge_refs = [f"J{j:02d}" for j in range(1, judges + 1)]
        entry_refs = [f"E{n:04d}" for n in range(1, entries + 1)]
        marks = []
        for entry in entry_refs:
            for judge in judge_refs:
                for criterion in criteria:
                    if criterion["type"] == "judgement":
                        value = rng.randrange(4)
                    else:
                        # n / 1000 as a float is written back as its three-decimal text.
                        value = rng.randrange(int(criterion["max"]) * 1000 + 1) / 1000
                    marks.append(
                        {
                            "entry": entry,
                            "judge": judge,
                            "criterion": criterion["code"],
                            "value": value,
                        }
                    )
        package_events.append(
            {
                "code": f"EV{e:02d}",
                "name": {"zh": f"赛项{e}", "en": f"Event {e}"},
                "aggregation": {"method": "trimmed_mean", "min_judges_to_trim": 5},
                "sections": [
                    {"code": "T", "name": {"zh": "理论"}, "weight": 30, "criteria": criteria[:2]},
                    {"code": "P", "name": {"zh": "实操"}, "weight": 70, "criteria": criteria[2:]},
                ],
                "tie_break": ["section:P", "criterion:P2", "time"],
                "awards": [
                    {"code": "first", "name": {"zh": "一等奖"}, "share": 0.1},
                    {"code": "second", "name": {"zh": "二等奖"}, "share": 0.2},
                    {"code": "third", "name": {"zh": "三等奖"}, "share": 0.3, "min_total": 60},
                ],
                "judges": [
                    {"ref": ref, "name": f"裁判{ref}", "chief": ref == "J01"} for ref in judge_refs
                ],
                "entries": [
                    {
                        "ref": ref,
                        "name": f"选手{ref}",
                        "id_number": make_id_number(rng),
                        "number": f"{n:03d}",
                        "station": f"A{n:03d}",
                        "status": "finished",
                        "finish_seconds": 5400 + n,
                    }
                    for n, ref in enumerate(entry_refs, start=1)
                ],
                "marks": marks,
            }
        )
    document = {
        "format": "contest-package",
        "version": 1,
        "competition": {
            "code": "BENCH-2026",
            "name": {"zh": "基准测试竞赛"},
            "level": "municipal",
            "kind": "skill",
            "organiser": "某市总工会",
            "starts_on": "2026-10-10",
            "ends_on": "2026-10-12",
        },
        "events": package_events,
    }
    return json.dumps(document, ensure_ascii=False)


# --- tasks run in a child process --------------------------------------------------------------


def task_openpyxl(data: bytes) -> int:
    """The floor: openpyxl alone, read-only, values only."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = sum(1 for _ in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return count


def task_read_table(data: bytes) -> int:
    return len(read_table(data, "bench.xlsx", max_rows=50_000).rows)


def task_import(data: bytes) -> int:
    table = read_table(data, "bench.xlsx", max_rows=50_000)
    existing = {code: {f"existing-{n}" for n in range(500)} for code in EVENTS}
    result = parse_contestants(table, events=EVENTS, existing_id_numbers_by_event=existing)
    assert result.ok, result.problems[:5]
    return result.person_count


def task_package(data: bytes) -> int:
    package = parse_package(data)
    return sum(len(event.marks) for event in package.events)


TASKS: dict[str, Callable[[bytes], int]] = {
    "nothing": lambda data: 0,
    "openpyxl": task_openpyxl,
    "read_table": task_read_table,
    "import": task_import,
    "package": task_package,
}


def measure(task: Callable[[bytes], int], data: bytes, *, trace: bool) -> dict[str, float]:
    """Run ``task`` once in this process; return seconds, maxrss and (if traced) Python peak."""
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    count = task(data)
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    return {
        "count": count,
        "seconds": seconds,
        "maxrss_mb": peak_rss_mb(),
        "traced_peak_mb": peak / 2**20,
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB.

    Linux's VmHWM belongs to the process's own address space; ru_maxrss survives exec and so
    can report the parent's size in a child.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:  # not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def run_child(task: str, path: Path, *, trace: bool = False) -> dict[str, float]:
    """Run one task in a fresh interpreter and return its measurements."""
    command = [sys.executable, __file__, "--child", task, str(path)]
    if trace:
        command.append("--trace")
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def baseline_rss() -> float:
    """The peak memory of a child that imports everything and does nothing, in MB."""
    command = [sys.executable, __file__, "--child", "nothing", __file__]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output)["maxrss_mb"]


def _with_sheet_data(base: bytes, sheet_data: bytes, *, dimension: bool) -> bytes:
    import re
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                if not dimension:
                    content = re.sub(rb"<dimension[^>]*>", b"", content)
                start = content.index(b"<sheetData>")
                end = content.index(b"</sheetData>") + len(b"</sheetData>")
                content = (
                    content[:start] + b"<sheetData>" + sheet_data + b"</sheetData>" + content[end:]
                )
            target.writestr(info.filename, content)
    return out.getvalue()


def refusal_times() -> dict[str, float]:
    """Seconds to refuse sheets formatted a million rows down and a zip bomb."""
    header = b'<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row>'
    empty = b"".join(b'<row r="%d" s="1" customFormat="1"/>' % n for n in range(2, 1_000_001))
    bomb = b'<row r="2"><c r="A2" s="0"/></row>' * 1_500_000
    base = make_contestants_xlsx(1)
    cases = {
        "a million empty rows": _with_sheet_data(base, header + empty, dimension=True),
        "a million empty rows, no <dimension>": _with_sheet_data(
            base, header + empty, dimension=False
        ),
        "zip bomb (50 MB of one row)": _with_sheet_data(base, header + bomb, dimension=True),
    }
    results = {}
    for name, data in cases.items():
        start = time.perf_counter()
        try:
            read_table(data, "x.xlsx")
        except SheetError as error:
            message = str(error)
        else:  # pragma: no cover
            message = "NOT REFUSED"
        seconds = time.perf_counter() - start
        results[f"{name} ({len(data) / 2**20:.1f} MB file): {message[:50]}..."] = seconds
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contestants", type=int, default=10_000)
    parser.add_argument("--marks", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("TASK", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        task, path = args.child
        print(json.dumps(measure(TASKS[task], Path(path).read_bytes(), trace=args.trace)))
        return

    with tempfile.TemporaryDirectory() as directory:
        xlsx = Path(directory) / "contestants.xlsx"
        xlsx.write_bytes(make_contestants_xlsx(args.contestants))
        package = Path(directory) / "package.json"
        package.write_text(make_package(args.marks), encoding="utf-8")
        print(f"{args.contestants} contestants: {xlsx.stat().st_size / 2**20:.2f} MB .xlsx")
        print(f"contest package: {package.stat().st_size / 2**20:.2f} MB JSON")
        print(f"peak memory of a process that only imports the modules: {baseline_rss():.0f} MB\n")
        print(f"{'task':<44} {'items':>7} {'best s':>7} {'peak MB':>10} {'traced MB':>10}")
        for task, path, label in (
            ("openpyxl", xlsx, "openpyxl read-only, values only (floor)"),
            ("read_table", xlsx, "read_table"),
            ("import", xlsx, "read_table + parse_contestants"),
            ("package", package, "parse_package (parse + validate)"),
        ):
            runs = [run_child(task, path) for _ in range(args.repeat)]
            traced = run_child(task, path, trace=True)
            best = min(runs, key=lambda run: run["seconds"])
            print(
                f"{label:<44} {best['count']:>7} {best['seconds']:>7.2f} "
                f"{max(run['maxrss_mb'] for run in runs):>10.0f} {traced['traced_peak_mb']:>10.1f}"
            )
    print("\nrefusals (in this process):")
    for label, seconds in refusal_times().items():
        print(f"  {seconds:6.2f} s  {label}")


if __name__ == "__main__":
    main()
