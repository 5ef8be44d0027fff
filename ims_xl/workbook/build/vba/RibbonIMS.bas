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
' On a Mac, RunPython returns at once: xlwings starts Python in the background
' (AppleScriptTask) and Python talks to Excel afterwards. So every button marks the work
' as running (the status bar, and a busy marker in the cell below ImsXlPaths that Python
' empties when it is done) and refuses a second click meanwhile; Check Setup waits for
' Python's verdict with OnTime (Excel stays idle between looks, so Python can write).
' On Windows RunPython waits for Python, and the marker is cleared right after it.
'
' Source: ims_xl/workbook/build/vba/RibbonIMS.bas; rebuild the workbook with
' `python -m ims_xl.workbook.build`.
' Edits made in Excel's VBA editor are lost at the next build.
Option Explicit

Private Const PATHS_NAME As String = "ImsXlPaths"
Private Const APP_TITLE As String = "IMS Reconciler"
Private Const FILTER_JSON As String = "IMS JSON (*.json;*.zip),*.json;*.zip"
Private Const FILTER_BOOKS As String = "Purchase register (*.xlsx;*.xlsm;*.xls;*.csv),*.xlsx;*.xlsm;*.xls;*.csv"
Private Const FILTER_UPLOAD As String = "IMS upload JSON (*.json),*.json"
Private Const STALE_MINUTES As Long = 15       ' a marker this old: Python stopped without clearing it
Private Const SETUP_WAIT_SECONDS As Long = 30  ' Mac: how long Check Setup waits for Python

Private setupLooks As Long                     ' Mac: Check Setup's looks at the verdict so far

Public Sub OnImportIms(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    If Not PickFiles(FILTER_JSON, "Choose the IMS download (JSON or ZIP; several are fine)", True) Then Exit Sub
    MarkBusy "Import IMS JSON"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.import_ims()"
    EndWork
End Sub

Public Sub OnImportBooks(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    If Not PickFiles(FILTER_BOOKS, "Choose the purchase register", False) Then Exit Sub
    MarkBusy "Import Purchase Register"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.import_books()"
    EndWork
End Sub

Public Sub OnReconcile(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    MarkBusy "Reconcile"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.reconcile()"
    EndWork
End Sub

Public Sub OnApplySuggestions(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    MarkBusy "Apply Suggestions"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.apply_suggestions()"
    EndWork
End Sub

Public Sub OnValidate(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    MarkBusy "Validate"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.validate()"
    EndWork
End Sub

Public Sub OnExport(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    If Not PickSaveAs("upload.json", FILTER_UPLOAD, "Save the upload JSON as") Then Exit Sub
    MarkBusy "Generate Upload JSON"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.export()"
    EndWork
End Sub

Public Sub OnImportErrors(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    If Not PickFiles(FILTER_JSON, "Choose the error file from the portal", False) Then Exit Sub
    MarkBusy "Import Error File"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.import_errors()"
    EndWork
End Sub

Public Sub OnSummary(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    MarkBusy "Refresh Summary"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.summary()"
    EndWork
End Sub

Public Sub OnStatements(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    MarkBusy "Supplier Statements"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.statements()"
    EndWork
End Sub

Public Sub OnUndo(control As IRibbonControl)
    If IsBusy() Then Exit Sub
    MarkBusy "Undo Last Change"
    RunPython "import ims_xl.ribbon; ims_xl.ribbon.undo()"
    EndWork
End Sub

' Check Setup works when Python does not: ImsXlPaths is emptied first and
' ims_xl.ribbon.check_setup() writes its verdict (any non-empty text) there, so an empty
' cell afterwards, or RunPython's failure code -1, means Python never ran; then say why.
' It also clears a busy marker left by a Python that never finished. On a Mac the verdict
' comes after RunPython has returned: CheckSetupVerdict looks again every second.
Public Sub OnCheckSetup(control As IRibbonControl)
    Dim verdict As Range, outcome As Variant
    If Len(XLWINGS_VERSION) = 0 Then GoTo Broken
    On Error GoTo Broken
    Set verdict = PathsCell()
    verdict.Value = ""
    verdict.Offset(1, 0).Value = ""
    outcome = RunPython("import ims_xl.ribbon; ims_xl.ribbon.check_setup()")
    If Not IsEmpty(outcome) Then
        If outcome = -1 Then GoTo Broken
    End If
    #If Mac Then
        setupLooks = 0
        Application.StatusBar = "IMS: waiting for Python to answer Check Setup..."
        LookAgainLater
        Exit Sub
    #End If
    If Len(CStr(verdict.Value)) = 0 Then GoTo Broken
    Exit Sub
Broken:
    MsgBox SetupAdvice(Err.Description), vbExclamation, APP_TITLE & ": Python is not set up"
End Sub

' Mac: run by OnTime once a second until Python's verdict is in ImsXlPaths or time is up.
Public Sub CheckSetupVerdict()
    setupLooks = setupLooks + 1
    If Len(CStr(PathsCell().Value)) > 0 Then
        Application.StatusBar = False
    ElseIf setupLooks >= SETUP_WAIT_SECONDS Then
        Application.StatusBar = False
        MsgBox SetupAdvice("Python did not answer within " & SETUP_WAIT_SECONDS & " seconds."), _
               vbExclamation, APP_TITLE & ": Python is not set up"
    Else
        LookAgainLater
    End If
End Sub

Private Sub LookAgainLater()
    Application.OnTime Now + TimeSerial(0, 0, 1), "'" & ThisWorkbook.Name & "'!CheckSetupVerdict"
End Sub

' True (after saying so) while an earlier click is still running: the busy marker, below
' ImsXlPaths, holds "<step>|<minute>" until Python empties it. Older than STALE_MINUTES
' means that Python stopped without clearing it, and it is ignored.
Private Function IsBusy() As Boolean
    Dim marker As String, bar As Long
    On Error GoTo NoMarker
    marker = CStr(PathsCell().Offset(1, 0).Value)
    bar = InStr(marker, "|")
    If bar = 0 Then Exit Function
    If MinuteNow() - Val(Mid(marker, bar + 1)) > STALE_MINUTES Then Exit Function
    MsgBox Left(marker, bar - 1) & " is still running. Wait for its message, then click again." & _
           vbLf & vbLf & "If nothing is running any more, click Check Setup.", vbInformation, APP_TITLE
    IsBusy = True
NoMarker:
End Function

Private Sub MarkBusy(step As String)
    On Error Resume Next
    PathsCell().Offset(1, 0).Value = step & "|" & CStr(MinuteNow())
    Application.StatusBar = "IMS: " & step & " is running..."
End Sub

' Windows: RunPython has waited for Python, so the work is over. Mac: Python clears the
' marker itself when it finishes.
Private Sub EndWork()
    #If Mac Then
    #Else
        On Error Resume Next
        PathsCell().Offset(1, 0).Value = ""
        Application.StatusBar = False
    #End If
End Sub

' Minutes since 2000 as a whole number: written and read back the same in every locale.
Private Function MinuteNow() As Long
    MinuteNow = CLng((Now - DateSerial(2000, 1, 1)) * 1440)
End Function

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
