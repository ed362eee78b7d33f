"""``python -m labs_tui``: the same front door as the ``labs-tui`` script."""

from labs_tui.cli import main

if __name__ == "__main__":
    main()
