"""The `gpueater` command line tool (entry point: `gpueater_ext.cli:main`)."""

from gpueater_ext.cli._root import main

__all__ = ["main"]
