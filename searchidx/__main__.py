"""`python -m searchidx`."""

from searchidx.cli import main

if __name__ == "__main__":
    main()
