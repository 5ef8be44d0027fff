"""`python -m ims_xl.workbook.build [OUT.xlsm]`."""

import sys

from .workbook import main

sys.exit(main())
