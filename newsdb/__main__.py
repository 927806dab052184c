"""`python -m newsdb` runs the command line."""

from newsdb.cli import main

main()
