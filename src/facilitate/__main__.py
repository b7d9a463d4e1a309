import sys

from facilitate.cli import main

sys.exit(main())
