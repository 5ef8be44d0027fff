"""Building `IMS_Reconciler.xlsm` from text sources (`python -m ims_xl.workbook.build`).

- `constants.py`: every version-bound or uncertain detail of the build, in one table;
- `vba/RibbonIMS.bas`, `customUI14.xml`: the workbook's own VBA module and ribbon, as text;
- `vbaproject.py`: the VBA project (`vbaProject.bin`) via pyOpenVBA, with xlwings' VBA read
  from the installed, pinned xlwings wheel;
- `package.py`: the zip pass after XlsxWriter: data rows spliced in (`sheetdata.py`), the ribbon
  added, every timestamp fixed (reproducible packages);
- `workbook.py`: the build itself (the sheets come from `ims_xl.workbook.writer`, the same code that
  writes `ims-xl reconcile --out x.xlsm`);
- `lint.py`: a standard-library OPC package lint.

Nothing here needs Excel. docs/reference/excel.md#build says why it is built this way.
`ims_xl.workbook.writer` uses `vbaproject`, `package` and `sheetdata` at run time too, for
`ims-xl reconcile --out x.xlsm` (pyOpenVBA is a runtime dependency for that reason).
"""
