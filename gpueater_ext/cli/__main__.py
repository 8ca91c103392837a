"""`python -m gpueater_ext.cli`: the `gpueater` command, for timers that must not depend on
PATH (`gpueater gc --install` runs gc this way)."""

from gpueater_ext.cli import main

main()
