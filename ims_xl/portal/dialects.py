"""The one mapping table for IMS format details the docs mark uncertain
(docs/reference/ims-format.md#uncertain-details).

When a real download, upload or error file settles a question, change the line here.
"""

from __future__ import annotations

# Envelopes -----------------------------------------------------------------------------
DOWNLOAD_ENVELOPE = "imsDetails"            # offline download, written by nobody but us in tests
ERROR_ENVELOPE = "imsDetailsErr"            # offline error file
API_ENVELOPE = "data"                       # API (and GSP wrappers: data.data)
UPLOAD_KEYS = ("rtin", "reqtyp", "invdata")
UPLOAD_REQTYP = "SAVE"
OMIT_EMPTY_SECTIONS = True                  # [U] API samples omit them
SEND_PREV_STATUS = False                    # [U] API only; official offline output has none

# Flags -----------------------------------------------------------------------------------
FLAG_TRUE = {"Y", "YES", "TRUE", "T", "1"}  # also JSON true
FLAG_FALSE = {"N", "NO", "FALSE", "F", "0", ""}
FLAG_WRITE = {True: "Y", False: "N"}

PENDING_BLOCKED_KEYS = ("ispendactblocked",)
PENDING_ALLOWED_KEYS = ("ispendactnallwd",)   # older API name, opposite sense
REMARKS_BLOCKED_KEYS = ("isRemarksBlocked", "isremarksblocked")
ITC_BLOCKED_KEYS = ("itcRedReqBlocked", "isItcRedReqBlocked")

# ITC-reduction declaration: (written key, keys accepted on read) ------------------------
ITC_RED_REQ = ("itcRedReq", ("itcRedReq", "itc_red_req"))
DECLARED = {   # tax head -> (written key, keys accepted on read)
    "igst": ("declIgst", ("declIgst", "decl_igst")),
    "cgst": ("declCgst", ("declCgst", "decl_cgst")),
    "sgst": ("declSgst", ("declSgst", "decl_sgst")),
    "cess": ("declCess", ("declCess", "decl_cess")),
}

# Aliases of echoed fields: canonical key -> other spellings seen on download ----------
FIELD_ALIASES = {"srcform": ("rtnTyp",), "rtnprd": ("sRtnPrd",)}

# Supplier filing status: raw values meaning "filed" (case-insensitive) -------------------
FILED_VALUES = {"FILED", "F", "Y"}
NOT_FILED_VALUES = {"NOT FILED", "NOTFILED", "NF", "S", "SAVED", "N"}

# Lengths ---------------------------------------------------------------------------------
REMARKS_MAX = 250
DOC_NUMBER_MAX = 16
UPLOAD_MAX_BYTES = 4 * 1024 * 1024          # [U] GSP-quoted API cap; portal offline cap unknown

# Key order of an uploaded record, as the official tool writes it (cosmetic;
# docs/reference/ims-format.md#upload-records).
UPLOAD_ORDER = ("stin", "oinum", "oidt", "ont_num", "ont_dt", "inum", "nt_num", "inv_typ",
                "idt", "nt_dt", "val", "action", "pos", "txval", "iamt", "camt", "samt",
                "cess", "itcRedReq", "declIgst", "declCgst", "declSgst", "declCess",
                "remarks", "srcform", "rtnprd")
# Echoed from the download into the upload (everything else is read-only on the portal).
ECHOED = ("stin", "oinum", "oidt", "ont_num", "ont_dt", "inum", "nt_num", "inv_typ", "idt",
          "nt_dt", "val", "pos", "txval", "iamt", "camt", "samt", "cess", "srcform", "rtnprd")
# A re-imported record counts as changed by the supplier when one of these differs
# (month/merge_download.py). Not `hash`: whether it also changes with the recipient's own action is
# unknown [U] (docs/reference/ims-format.md#uncertain-details item 3), and a false "changed" would
# take every action off the sheet after each upload.
SUPPLIER_FIELDS = ECHOED
