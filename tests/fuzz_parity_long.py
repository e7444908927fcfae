"""The long differential fuzz run: many cases, mismatches grouped by (family, op, kind).

    EMBER_FUZZ_CASES=200000 PYTHONPATH=. python tests/fuzz_parity_long.py [family ...]
        [--seed N] [--examples 2] [--messages]

EMBER_FUZZ_CASES is the number of cases in all, shared across the families asked for.
`--messages` also reports exception messages that differ (CI compares types only).
"""

import argparse
import os
import sys
import time
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from tests import test_fuzz_parity as F  # noqa: E402
from tests._fuzz_gen import FAMILIES  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("families", nargs="*", default=sorted(FAMILIES))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--examples", type=int, default=2)
    p.add_argument("--messages", action="store_true")
    args = p.parse_args()
    if args.messages:
        F.SKIP[:] = [s for s in F.SKIP if s[2] != "exc-msg"]
    total = int(os.environ.get("EMBER_FUZZ_CASES", 20000))
    per = max(1, total // len(args.families))
    groups = defaultdict(list)
    t0 = time.time()
    for fam in args.families:
        for op, src, m in F.fuzz(fam, per, seed=args.seed):
            groups[(fam, op, m.kind)].append((src, m))
        print(f"{fam}: done ({time.time() - t0:.0f} s)", file=sys.stderr)
    for (fam, op, kind), items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"=== {fam} / {op} / {kind}: {len(items)} cases")
        # the shortest programs are the easiest to read
        for src, m in sorted(items, key=lambda it: len(it[0]))[:args.examples]:
            print(F.describe(op, src, m))
            print()
    print(f"{sum(len(v) for v in groups.values())} mismatches in {len(groups)} groups, "
          f"{per * len(args.families)} cases, {time.time() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
