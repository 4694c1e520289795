"""Benchmark: how fast certificates render, one by one and merged for printing.

Run from the repository root:

    python bench/certificates.py            # 1,000 certificates
    python bench/certificates.py --count 200

It prints certificates per second for individual renders (each its own PDF,
as a download is) and for one merged print PDF, the time of a single render
(median and 95th percentile, and the very first one, which registers the
fonts and prepares the images), and the floor: the same page without QR code,
logo and seal. Wall-clock and CPU times are both shown because a shared
machine's wall clock includes other processes' work. Results go into
docs/performance.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import reportlab  # noqa: E402

from competitions.pdf import (  # noqa: E402
    certificate,
    fonts,
    render_certificate,
    render_certificates,
)
from competitions.pdf.samples import (  # noqa: E402
    sample_certificate,
    sample_logo_png,
    sample_seal_png,
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬堃喆昇珺玥媛赟燊"
AWARDS = (("一等奖", "First Prize"), ("二等奖", "Second Prize"), ("三等奖", "Third Prize"))


def certificates(count: int, images: bool = True) -> list[certificate.CertificateData]:
    """``count`` distinct certificates: names, numbers and QR codes all differ."""
    base = sample_certificate(
        logo=sample_logo_png() if images else None, seal=sample_seal_png() if images else None
    )
    items = []
    for i in range(count):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + GIVEN[(i * 7) % len(GIVEN)]
        award_zh, award_en = AWARDS[i % 3]
        number = f"LH2026-IR-{i:05d}"
        code = f"{i * 2654435761 % 16**8:08X}"
        items.append(
            replace(
                base,
                person_name=name,
                person_name_en=None,
                number=number,
                verification_url=f"https://certs.example.cn/verify/{number}?c={code}",
                award_name_zh=award_zh,
                award_name_en=award_en,
            )
        )
    return items


@contextmanager
def without_qr():
    """Draw no QR code: with images=False this is the floor of the page."""
    original = certificate.draw_qr
    certificate.draw_qr = lambda *args, **kwargs: 0.0
    try:
        yield
    finally:
        certificate.draw_qr = original


def timed(function: Callable[[], object]) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def individual(items: list[certificate.CertificateData]) -> dict[str, float]:
    walls, sizes = [], []
    cpu_start = time.process_time()
    wall_start = time.perf_counter()
    for data in items:
        start = time.perf_counter()
        pdf = render_certificate(data)
        walls.append(time.perf_counter() - start)
        sizes.append(len(pdf))
    wall = time.perf_counter() - wall_start
    cpu = time.process_time() - cpu_start
    walls.sort()
    return {
        "per_second": len(items) / wall,
        "per_cpu_second": len(items) / cpu,
        "median_ms": statistics.median(walls) * 1000,
        "p95_ms": walls[int(len(walls) * 0.95) - 1] * 1000,
        "max_ms": walls[-1] * 1000,
        "size_kb": statistics.mean(sizes) / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count

    fonts_wall, _, chain = timed(fonts.font_chain)
    with_images = certificates(count)
    first_wall, _, first_pdf = timed(lambda: render_certificate(with_images[0]))

    full = individual(with_images)
    merged_wall, merged_cpu, merged_pdf = timed(lambda: render_certificates(with_images))
    plain = certificates(count, images=False)
    with without_qr():
        render_certificate(plain[0])
        floor = individual(plain)

    print(
        f"# {count} certificates, Python {platform.python_version()}, ReportLab "
        f"{reportlab.Version}, {platform.machine()}"
    )
    print()
    print("| measure | wall clock | CPU |")
    print("|---|---|---|")
    print(
        f"| individual PDFs, certificates/s | {full['per_second']:.0f} "
        f"| {full['per_cpu_second']:.0f} |"
    )
    print(
        f"| merged print PDF, certificates/s | {count / merged_wall:.0f} "
        f"| {count / merged_cpu:.0f} |"
    )
    print(
        f"| floor (no QR, logo, seal), certificates/s | {floor['per_second']:.0f} "
        f"| {floor['per_cpu_second']:.0f} |"
    )
    print()
    print("| single render | median | p95 | max | PDF size |")
    print("|---|---|---|---|---|")
    print(
        f"| full certificate | {full['median_ms']:.1f} ms | {full['p95_ms']:.1f} ms "
        f"| {full['max_ms']:.1f} ms | {full['size_kb']:.0f} KB |"
    )
    print(
        f"| floor (no QR, logo, seal) | {floor['median_ms']:.1f} ms "
        f"| {floor['p95_ms']:.1f} ms | {floor['max_ms']:.1f} ms | {floor['size_kb']:.0f} KB |"
    )
    print()
    print(
        f"font discovery and registration, once per process: {fonts_wall * 1000:.0f} ms "
        f"({chain.primary.origin})"
    )
    print(
        f"first render in the process (logo and seal prepared): "
        f"{first_wall * 1000:.0f} ms, {len(first_pdf) / 1024:.0f} KB"
    )
    print(
        f"merged PDF of {count}: {merged_wall:.1f} s, {len(merged_pdf) / 1048576:.1f} MB "
        f"({len(merged_pdf) / count / 1024:.1f} KB a certificate)"
    )


if __name__ == "__main__":
    main()
