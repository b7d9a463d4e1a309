"""Write man/facilitate.1 from the command line's own parser (argparse-manpage).

Run by `make man`; tests/test_packaging.py checks that the committed page is up to date, so a
new option or command cannot be forgotten in the manual.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from argparse_manpage.manpage import Manpage

from facilitate import __version__
from facilitate.cli import build_parser

PAGE = Path(__file__).resolve().parent.parent / "man" / "facilitate.1"


def render() -> str:
    parser = build_parser()
    page = Manpage(
        parser,
        _data={
            "project_name": "facilitate",
            "prog": "facilitate",
            "version": __version__,
            "manual_section": "1",
            "manual_title": "facilitate manual",
            "description": "a terminal meeting facilitator for multi-agency task forces",
            "url": "",
        },
    )
    # The page carries no date (argparse-manpage writes today's), so it is the same whenever it
    # is made and the up-to-date check depends on the command line only.
    return re.sub(r'^(\.TH "?FACILITATE"? "1") "[^"]*"', r'\1 ""', str(page), count=1, flags=re.M)


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE} is out of date: run 'make man'.", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
