import sys

from gpueater_emulator.entry import run

raise SystemExit(run(sys.argv[1:], prog="python -m gpueater_emulator"))
