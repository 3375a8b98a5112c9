"""The kill -9 loop at the issue's scale: random ``kill -9`` of the two ``refuge worker``
processes while they read a run of reports from the PostgreSQL queue; afterwards every report
is stored exactly once, every waiting report was read, and every case equals the one a clean
in-process run of the same reports produces.

    .venv/bin/python bench/kill_loop.py [--reports 2000] [--kills 20]

It runs the suite's own kill test (tests/storage/test_jobs_kill.py, 240 reports and 5 kills
there) with the larger figures, on a throw-away PostgreSQL cluster, so the bench and the test
are one code path. The reports are the test's fake case files (each about a person of its own,
so a run's cases do not depend on the order the workers take them in): what is measured is the
queue's recovery, not the reader.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=20)
    args = parser.parse_args()
    env = dict(os.environ, REFUGE_KILL_REPORTS=str(args.reports), REFUGE_KILL_KILLS=str(args.kills))
    env.setdefault("REFUGE_PASSPHRASE", "kill-loop-passphrase")
    env.setdefault("REFUGE_TEST_FAST_KDF", "1")
    load = os.getloadavg()
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-s", "-p", "no:cacheprovider",
         "tests/storage/test_jobs_kill.py"],
        cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    print(
        f"kill loop: {args.reports} reports, {args.kills} kills, "
        f"{'passed' if done.returncode == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s; "
        f"load average before {load}, after {os.getloadavg()}"
    )
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
