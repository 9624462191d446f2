"""`python -m certify` runs the `certify` command."""

from certify.cli.app import main

main()
