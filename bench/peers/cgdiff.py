#!/usr/bin/env python3
"""Where a client's instructions per request go: callgrind_annotate of the N-request and 2N-request runs
(kept by `KEEP=dir scripts/bench-peers`), subtracted function by function and divided by N, so startup
and the first connection drop out.

    bench/peers/cgdiff.py DIR/cg.mbx.200.out DIR/cg.mbx.400.out 200 [--inclusive] [--top K] [--grep RE]
"""
import re
import subprocess
import sys


def load(path, inclusive):
    out = subprocess.run(
        ["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100", "--auto=no", path],
        capture_output=True, text=True, check=True,
    ).stdout
    costs = {}
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$", line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        name = re.sub(r" \[[^\]]*\]$", "", m.group(2))  # the object file
        name = name.split(":", 1)[1] if ":" in name else name  # the source file
        # The same function can appear once per source file (inlining): keep the largest, which for
        # inclusive costs is the whole subtree.
        v = int(m.group(1).replace(",", ""))
        costs[name] = max(costs.get(name, 0), v) if inclusive else costs.get(name, 0) + v
    return costs


def main():
    a, b, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    inclusive = "--inclusive" in sys.argv
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 40
    pattern = re.compile(sys.argv[sys.argv.index("--grep") + 1]) if "--grep" in sys.argv else None
    ca, cb = load(a, inclusive), load(b, inclusive)
    rows = sorted(((cb.get(k, 0) - ca.get(k, 0)) / n, k) for k in set(ca) | set(cb))
    rows.reverse()
    shown = 0
    for per_request, name in rows:
        if pattern and not pattern.search(name):
            continue
        print(f"{per_request:10.0f}  {name[:170]}")
        shown += 1
        if shown == top:
            break


if __name__ == "__main__":
    main()
