"""How build time grows with the number of partnerships: prints ratios, asserts nothing.

Run with `make bench`. Each size builds a copy of the example handbook whose
partnerships are duplicated under new slugs; for linear growth the time per
partnership stays about the same, so the ratios printed stay near 1.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sitebuild import REPO, build_site, copy_project  # noqa: E402


def build_with(copies: int, workdir: Path) -> tuple[int, float]:
    project = copy_project(workdir / f"n{copies}")
    examples = sorted(p for p in (project / "partnerships").iterdir() if p.is_dir())
    for number in range(1, copies):
        for example in examples:
            shutil.copytree(example, project / "partnerships" / f"{example.name}-{number}")
    count = len(examples) * copies
    start = time.perf_counter()
    build_site(project)
    return count, time.perf_counter() - start


def main() -> None:
    import logging

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        results = [build_with(copies, Path(scratch)) for copies in (5, 10, 20)]
    base_count, base_time = results[0]
    print(f"{'partnerships':>12} {'seconds':>8} {'ms each':>8} {'ratio to smallest':>18}")
    for count, seconds in results:
        per = seconds / count
        print(f"{count:>12} {seconds:>8.2f} {per * 1000:>8.1f} {per / (base_time / base_count):>18.2f}")
    print(f"(examples from {REPO / 'partnerships'}; a ratio well above 1 means growth worse than linear)")


if __name__ == "__main__":
    main()
