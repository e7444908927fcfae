"""Group the failures of a pytest log (run with --tb=native) by their deepest ember frame."""

import collections
import re
import sys

text = open(sys.argv[1]).read()
blocks = re.split(r"\n_{5,} (.+?) _{5,}\n", text)
groups = collections.defaultdict(list)
for name, body in zip(blocks[1::2], blocks[2::2]):
    frames = re.findall(r'File "([^"]*ember/[^"]+)", line (\d+), in (\w+)', body)
    err = [l for l in body.splitlines() if re.match(r"^(E\s+)?\w+(Error|Exception)\b", l)]
    where = f"{frames[-1][0].split('ember/')[-1]}:{frames[-1][1]} {frames[-1][2]}" if frames else "?"
    groups[(where, err[-1][:150] if err else "?")].append(name)
for (where, err), names in sorted(groups.items(), key=lambda kv: -len(kv[1])):
    print(f"{len(names):4d}  {where}  {err}")
    print("      " + " ".join(n.split("[")[-1].rstrip("]") for n in names[:8]))
