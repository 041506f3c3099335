"""One module per CLI command; each has ``add_parser(subparsers)`` and ``run(args) -> int``."""

COMMANDS = ["validate", "plan", "evaluate", "gaps", "demo", "map", "diff", "fmt", "git-setup"]
