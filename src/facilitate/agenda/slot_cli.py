"""`facilitate meetings slot [RULE]`: show or set the standing meeting slot."""

from __future__ import annotations

import argparse

from ..cli_common import EXIT_OK, echo, open_workspace
from ..domain.standing import EXAMPLES, parse_standing


def register_slot(msub: argparse._SubParsersAction) -> None:
    p = msub.add_parser(
        "slot",
        help="show or set the standing meeting slot ('second Thursday of the month, 10:00-12:00')",
        description="The standing slot is the rule 'meetings new' and the close screen follow, "
        f"e.g. {EXAMPLES}. Without RULE: show it. --clear: infer it from the meetings held.",
    )
    p.add_argument("rule", nargs="?", metavar="RULE", help="the rule, in plain words")
    p.add_argument("--clear", action="store_true", help="remove the rule (infer it instead)")
    p.set_defaults(func=cmd_meetings_slot)


def cmd_meetings_slot(args: argparse.Namespace) -> int:
    ws = open_workspace(args)
    if args.rule is None and not args.clear:
        profile = ws.snapshot().profile()
        if profile.standing_slot:
            echo(f"Standing slot: {parse_standing(profile.standing_slot).describe()}")
        else:
            echo(
                "No standing slot is set: the next meeting follows the meetings held. "
                f"Set one with: facilitate meetings slot 'RULE' (e.g. {EXAMPLES})."
            )
        return EXIT_OK
    text = "" if args.clear else " ".join(args.rule.split())
    rule = parse_standing(text) if text else None  # a clear error before anything is saved
    with ws.transaction() as tx:
        profile = tx.profile()
        profile.standing_slot = text
        tx.update(profile)
    echo(f"Standing slot: {rule.describe()}" if rule else "Standing slot cleared.")
    return EXIT_OK
