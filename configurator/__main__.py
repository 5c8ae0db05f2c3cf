"""Run the command line as ``python -m configurator``."""

from configurator.cli import main

main()
