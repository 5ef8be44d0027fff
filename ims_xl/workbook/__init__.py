"""The reconciled workbook as a file: its sheets and columns (layout), the IMS
sheet as rows, the workbook as data, writing it (writer) and building
IMS_Reconciler.xlsm (build/). No Excel needed.
"""
