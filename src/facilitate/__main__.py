import sys

from facilitate.launcher import main

sys.exit(main())
