"""`python -m generator …` runs the `guidebook` command line."""
import sys

from .cli import main

sys.exit(main())
