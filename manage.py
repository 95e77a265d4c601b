#!/usr/bin/env python
"""Django's manage.py; `parindex` (parindex/cli.py) is the same with dashed command names."""

from parindex.cli import main

if __name__ == "__main__":
    main()
