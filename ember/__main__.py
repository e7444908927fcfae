"""The `ember` command: `ember demo`, `ember bench`, `ember info`."""

import sys

USAGE = """usage: ember {demo,bench,info} [options]

  demo    train a model on real hand-written digits (ember demo --help)
  bench   measure ember against NumPy and PyTorch (ember bench --help)
  info    versions, BLAS and devices
"""


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    cmd = argv.pop(0)
    if cmd == "demo":
        from ._demo import main as run
    elif cmd == "bench":
        from ._bench import main as run
    elif cmd == "info":
        from ._bench import info_main as run
    else:
        print(f"ember: unknown command '{cmd}'\n\n{USAGE}", file=sys.stderr)
        return 2
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
