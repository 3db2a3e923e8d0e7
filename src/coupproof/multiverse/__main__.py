"""``python -m coupproof.multiverse``: run the multiverse of constructions (see ``--help``)."""

from coupproof.multiverse.cli import main

raise SystemExit(main())
