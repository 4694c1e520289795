"""Benchmark: how fast certificates render, one by one and merged for printing.

Run from the repository root:

    python bench/certificates.py            # 1,000 certificates
    python bench/certificates.py --count 200
    python bench/certificates.py --app-only # only the application path (below)

It prints certificates per second for individual renders (each its own PDF,
as a download is) and for one merged print PDF, the time of a single render
(median and 95th percentile, and the very first one, which registers the
fonts and prepares the images), and the floor: the same page without QR code,
logo and seal. Wall-clock and CPU times are both shown because a shared
machine's wall clock includes other processes' work. Results go into
docs/performance.md.

The application path (``app_path``) runs the real app on a fresh SQLite
database: an event with ``count`` ranked entries whose results are final,
``issue_certificates`` for all of them (award and participation certificates),
then every certificate rendered from the database through the service (as a
download is), and finally single downloads over real HTTP (a local server in a
thread, a signed-in contestant, ``GET /certificates/<id>.pdf``).
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


def app_path(count: int, downloads: int = 100) -> None:
    """Issue ``count`` certificates through the service and time downloads over HTTP."""
    import http.cookiejar
    import tempfile
    import threading
    import urllib.parse
    import urllib.request
    from decimal import Decimal

    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from competitions import create_app
    from competitions.accounts.models import User
    from competitions.accounts.passwords import hash_password
    from competitions.certificates import services
    from competitions.certificates.models import Certificate
    from competitions.contests.models import (
        AwardTier,
        Competition,
        Criterion,
        Event,
        Organisation,
        Section,
    )
    from competitions.enums import CompetitionKind, CriterionType, EventStatus, Level, Role
    from competitions.extensions import db
    from competitions.judging.models import Mark
    from competitions.registration.models import Entry, Person

    folder = Path(tempfile.mkdtemp(prefix="bench-certificates-"))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
            "INSTANCE_PATH": str(folder),
            "SECRET_KEY": "bench-secret-key-0123456789abcdefghijklmnop",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "PUBLIC_BASE_URL": "https://certs.example.cn",
        }
    )
    with app.app_context():
        upgrade()
        organiser = User(
            username="organiser", display_name="王芳", role=Role.ORGANISER, password_hash=""
        )
        competition = Competition(
            code="LH-2026",
            name_zh="2026年龙华区职业技能竞赛",
            name_en="2026 Longhua District Vocational Skills Competition",
            level=Level.DISTRICT,
            kind=CompetitionKind.SKILL,
            starts_on=sample_certificate().issued_on,
            ends_on=sample_certificate().issued_on,
            organisation=Organisation(name="深圳市龙华区总工会", name_en="Longhua District FTU"),
        )
        competition.organisers.append(organiser)
        event = Event(code="ROBOT", name_zh="工业机器人系统运维", name_en="Industrial robots")
        competition.events.append(event)
        section = Section(code="P", weight=Decimal(100))
        event.sections.append(section)
        criterion = Criterion(event=event, code="P1", type=CriterionType.MARKS, max_mark=100)
        section.criteria.append(criterion)
        for position, (code, zh, en, share) in enumerate(
            (("first", "一等奖", "First prize", "0.1"), ("second", "二等奖", "Second prize", "0.2"))
        ):
            event.award_tiers.append(
                AwardTier(
                    code=code, name_zh=zh, name_en=en, share=Decimal(share), position=position
                )
            )
        db.session.add(competition)
        db.session.flush()
        people = []
        for i, data in enumerate(certificates(count, images=False)):
            person = Person(name=data.person_name, employer="深圳市龙华精密制造有限公司")
            people.append(person)
            entry = Entry(event=event, ref=f"E{i:05d}", number=f"{i:05d}", person=person)
            db.session.add(entry)
            db.session.flush()
            db.session.add(
                Mark(
                    entry_id=entry.id,
                    criterion_id=criterion.id,
                    judge_id=organiser.id,
                    value=Decimal(i % 997) / 10,
                )
            )
        event.status = EventStatus.FINAL
        contestant = User(
            username="contestant",
            display_name=people[0].name,
            role=Role.CONTESTANT,
            password_hash=hash_password("bench-password-2026"),
            person=people[0],
        )
        db.session.add(contestant)
        db.session.commit()
        services.set_certificate_image(competition, "logo", sample_logo_png(), actor=organiser)
        services.set_certificate_image(competition, "seal", sample_seal_png(), actor=organiser)
        db.session.commit()

        event = db.session.get(Event, event.id)
        issue_wall, issue_cpu, outcome = timed(
            lambda: services.issue_certificates(event, actor=organiser, participation=True)
        )
        commit_wall, _, _ = timed(db.session.commit)
        issued = len(outcome.created)
        own_id = db.session.query(Certificate.id).filter_by(person_id=people[0].id).scalar()
        competition_id = competition.id

    def render_all():
        with app.test_request_context():
            images = services.competition_images(competition_id)
            for certificate in db.session.query(Certificate).order_by(Certificate.id):
                services.certificate_pdf(certificate, images=images)

    render_wall, render_cpu, _ = timed(render_all)

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    form = urllib.parse.urlencode(
        {"username": "contestant", "password": "bench-password-2026"}
    ).encode()
    opener.open(f"{base}/login", data=form).read()
    times, size = [], 0
    for _ in range(downloads):
        start = time.perf_counter()
        with opener.open(f"{base}/certificates/{own_id}.pdf") as response:
            body = response.read()
        times.append(time.perf_counter() - start)
        size = len(body)
    assert body.startswith(b"%PDF-")
    server.shutdown()
    times.sort()

    total_wall = issue_wall + commit_wall + render_wall
    print(
        f"# application path: {count} ranked entries, final results, SQLite, Python "
        f"{platform.python_version()}"
    )
    print()
    print("| measure | wall clock | CPU |")
    print("|---|---|---|")
    print(
        f"| issue_certificates ({issued} records, one commit), certificates/s "
        f"| {issued / (issue_wall + commit_wall):.0f} | {issued / issue_cpu:.0f} |"
    )
    print(
        f"| render each from the database through the service, certificates/s "
        f"| {issued / render_wall:.0f} | {issued / render_cpu:.0f} |"
    )
    print(f"| issue + render all, certificates/s | {issued / total_wall:.0f} | |")
    print()
    print(
        f"single download over HTTP ({downloads} requests, signed-in contestant, {size // 1024} KB "
        f"with logo and seal): median {statistics.median(times) * 1000:.1f} ms, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--app-only", action="store_true", help="only the application path")
    arguments = parser.parse_args()
    count = arguments.count
    if arguments.app_only:
        app_path(count)
        return

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
    print()
    app_path(count)


if __name__ == "__main__":
    main()
