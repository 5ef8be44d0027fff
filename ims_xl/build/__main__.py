"""`python -m ims_xl.build [OUT.xlsm]`."""

import sys

from .workbook import main

sys.exit(main())
