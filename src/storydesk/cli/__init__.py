"""The ``storydesk`` command: parses arguments, calls :mod:`storydesk.service`, renders. Nothing else.

Exit codes: 0 everything worked; 1 some inputs failed (the rest was processed); 2 usage or
configuration error; 3 a store error; 4 not found; 130 / 143 stopped by SIGINT / SIGTERM.

One module per command (or command group), each defining a plain ``click.command``/``click.group``;
:mod:`._main` is the root group, :mod:`._common` what the commands share (error handling, progress bar,
``--db``/``--format``/``--quiet``). To add a command: write ``cli/_name.py`` with ``@click.command()``
and add it to :data:`COMMANDS` below (one line); ``storydesk eval`` lives beside the code it drives
(:mod:`storydesk.eval.cli`).
"""

from __future__ import annotations

import click

from ..eval.cli import eval_group
from ._analyse import analyse
from ._brief import brief
from ._config import config
from ._doctor import doctor, repair
from ._ingest import ingest
from ._main import main
from ._scale import scale
from ._serve import serve
from ._show import show, stories
from ._sources import sources
from ._watch import watch

__all__ = ["main", "COMMANDS"]

#: Every command of ``storydesk``, registered on :func:`main` in this order.
COMMANDS: tuple[click.Command, ...] = (
    brief,
    analyse,
    ingest,
    scale,
    stories,
    show,
    serve,
    sources,
    watch,
    doctor,
    repair,
    config,
    eval_group,
)

for _command in COMMANDS:
    main.add_command(_command)
