"""``python -m storydesk.cli``: the ``storydesk`` command."""

from . import main

if __name__ == "__main__":  # pragma: no cover
    main()
