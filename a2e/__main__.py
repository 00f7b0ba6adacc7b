"""``python -m a2e``: the command line."""

from a2e.cli import main

if __name__ == "__main__":
    main()
