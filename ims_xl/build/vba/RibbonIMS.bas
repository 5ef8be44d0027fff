Attribute VB_Name = "RibbonIMS"
' IMS Reconciler: the callbacks of the workbook's IMS ribbon tab.
'
' customUI14.xml names each button's sub here (onAction="RibbonIMS.<sub>"). Each sub ends
' in xlwings' RunPython (the embedded `xlwings` module), which runs one function of
' ims_xl.ribbon in the Python set up with `xlwings config create --force` (Windows) or
' `xlwings runpython install` (macOS). Buttons that need a file first show Excel's own
' dialog and leave the chosen path in the hidden cell named ImsXlPaths (several paths are
' joined by a line feed); Python reads them from there. Cancel stops quietly.
'
' Source: ims_xl/build/vba/RibbonIMS.bas; rebuild the workbook with `python -m ims_xl.build`.
' Edits made in Excel's VBA editor are lost at the next build.
Option Explicit

Private Const PATHS_NAME As String = "ImsXlPaths"
Private Const APP_TITLE As String = "IMS Reconciler"
Private Const FILTER_JSON As String = "IMS JSON (*.json;*.zip),*.json;*.zip"
Private Const FILTER_BOOKS As String = "Purchase register (*.xlsx;*.xlsm;*.xls;*.csv),*.xlsx;*.xlsm;*.xls;*.csv"
Private Const FILTER_UPLOAD As String = "IMS upload JSON (*.json),*.json"

Public Sub OnImportIms(control As IRibbonControl)
    If Not PickFiles(FILTER_JSON, "Choose the IMS download (JSON or ZIP; several are fine)", True) Then Exit Sub
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.import_ims()"
End Sub

Public Sub OnImportBooks(control As IRibbonControl)
    If Not PickFiles(FILTER_BOOKS, "Choose the purchase register", False) Then Exit Sub
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.import_books()"
End Sub

Public Sub OnReconcile(control As IRibbonControl)
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.reconcile()"
End Sub

Public Sub OnApplySuggestions(control As IRibbonControl)
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.apply_suggestions()"
End Sub

Public Sub OnValidate(control As IRibbonControl)
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.validate()"
End Sub

Public Sub OnExport(control As IRibbonControl)
    If Not PickSaveAs("upload.json", FILTER_UPLOAD, "Save the upload JSON as") Then Exit Sub
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.export()"
End Sub

Public Sub OnImportErrors(control As IRibbonControl)
    If Not PickFiles(FILTER_JSON, "Choose the error file from the portal", False) Then Exit Sub
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.import_errors()"
End Sub

Public Sub OnSummary(control As IRibbonControl)
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.summary()"
End Sub

Public Sub OnStatements(control As IRibbonControl)
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.statements()"
End Sub

Public Sub OnUndo(control As IRibbonControl)
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.undo()"
End Sub

' Check Setup works when Python does not: ImsXlPaths is emptied first and
' ims_xl.ribbon.check_setup() writes its verdict (any non-empty text) there, so an empty
' cell afterwards, or RunPython's failure code -1, means Python never ran; then say why.
Public Sub OnCheckSetup(control As IRibbonControl)
    Dim verdict As Range, outcome As Variant
    If Len(XLWINGS_VERSION) = 0 Then GoTo Broken
    On Error GoTo Broken
    Set verdict = PathsCell()
    verdict.Value = ""
    outcome = RunPython("import ims_xl.ribbon; ims_xl.ribbon.check_setup()")
    If Not IsEmpty(outcome) Then
        If outcome = -1 Then GoTo Broken
    End If
    If Len(CStr(verdict.Value)) = 0 Then GoTo Broken
    Exit Sub
Broken:
    MsgBox SetupAdvice(Err.Description), vbExclamation, APP_TITLE & ": Python is not set up"
End Sub

Public Sub OnHelp(control As IRibbonControl)
    MsgBox HelpText(), vbInformation, APP_TITLE
End Sub

Private Function HelpText() As String
    Dim t As String
    t = "1. Import IMS JSON: the download from IMS Dashboard > Offline > Download JSON (several files or a .zip are fine)."
    t = t & vbLf & vbLf & "2. Import Purchase Register: your books from Tally, Busy, Zoho, ERPNext, SAP or a CA template (.xlsx/.xls/.csv)."
    t = t & vbLf & vbLf & "3. Reconcile: every IMS record gets a Match Status, a Reason and a Suggested Action."
    t = t & vbLf & vbLf & "4. Apply Suggestions to the selected rows (or to all rows without an action), then edit the Action column by hand."
    t = t & vbLf & vbLf & "5. Validate, then Generate Upload JSON (only changed records) and upload it on the portal."
    t = t & vbLf & vbLf & "6. If the portal reports errors, Import Error File: messages land on their rows; fix them and generate again."
    t = t & vbLf & vbLf & "Check Setup tests the link to Python. Settings are on the Home sheet."
    HelpText = t
End Function

Private Function SetupAdvice(detail As String) As String
    Dim t As String
    t = "The IMS buttons run Python, and Python did not answer." & vbLf & vbLf
    t = t & "This workbook carries the VBA of xlwings " & XLWINGS_VERSION & ". Set up once:" & vbLf
    t = t & "1. Install Python 3.11 or newer (python.org)." & vbLf
    t = t & "2. In a terminal: pip install ims-xl   (it brings xlwings " & XLWINGS_VERSION & ")" & vbLf
    #If Mac Then
        t = t & "3. In Terminal: xlwings runpython install   (lets Excel start Python)" & vbLf
        t = t & "   and: xlwings config create --force   (points Excel at that Python)" & vbLf
    #Else
        t = t & "3. In a command prompt: xlwings config create --force   (points Excel at that Python)" & vbLf
    #End If
    t = t & "4. Close Excel, open this workbook again and click Check Setup." & vbLf
    If Len(detail) > 0 Then t = t & vbLf & "Detail: " & detail
    SetupAdvice = t
End Function

Private Function PathsCell() As Range
    Set PathsCell = ThisWorkbook.Names(PATHS_NAME).RefersToRange
End Function

Private Function PickFiles(fileFilter As String, prompt As String, several As Boolean) As Boolean
    Dim chosen As Variant
    #If Mac Then
        chosen = Application.GetOpenFilename(Title:=prompt, MultiSelect:=several)
    #Else
        chosen = Application.GetOpenFilename(FileFilter:=fileFilter, Title:=prompt, MultiSelect:=several)
    #End If
    PickFiles = Remember(chosen)
End Function

Private Function PickSaveAs(suggested As String, fileFilter As String, prompt As String) As Boolean
    Dim chosen As Variant
    #If Mac Then
        chosen = Application.GetSaveAsFilename(InitialFileName:=suggested)
    #Else
        chosen = Application.GetSaveAsFilename(InitialFileName:=suggested, FileFilter:=fileFilter, Title:=prompt)
    #End If
    PickSaveAs = Remember(chosen)
End Function

' The dialog's answer into ImsXlPaths; False when the user cancelled.
Private Function Remember(chosen As Variant) As Boolean
    Dim joined As String, target As Range
    If IsArray(chosen) Then
        joined = Join(chosen, vbLf)
    ElseIf VarType(chosen) = vbBoolean Then
        Exit Function
    Else
        joined = CStr(chosen)
    End If
    If Len(joined) = 0 Then Exit Function
    On Error GoTo Missing
    Set target = PathsCell()
    target.Value = joined
    Remember = True
    Exit Function
Missing:
    MsgBox "This workbook has lost its hidden cell " & PATHS_NAME & " (" & Err.Description & ")." & vbLf & _
           "Make a fresh copy with: ims-xl workbook <folder>", vbCritical, APP_TITLE
End Function
