"""python -m mbc_kg: the same as the `mbc-kg` command."""
import sys

from mbc_kg.cli import main

sys.exit(main())
