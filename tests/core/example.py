"""The hand-made example of docs/reference/ims-format.md#worked-example (fake data; every GSTIN
passes the check)."""

DOWNLOAD_TEXT = """{
  "imsDetails": {
    "b2b": [
      { "stin": "27AAHCM1357N1Z2", "tradenm": "MEHTA COMPONENTS PVT LTD", "inum": "MC/25-26/0451",
        "inv_typ": "R", "idt": "05-03-2026", "val": 118000.00, "action": "N", "pos": "27",
        "txval": 100000.00, "iamt": 0, "camt": 9000.00, "samt": 9000.00, "cess": 0,
        "srcform": "R1", "rtnprd": "032026", "srcfilstatus": "Filed",
        "ispendactblocked": "N", "isRemarksBlocked": "N",
        "hash": "37b9596dfea6df0768143547c0f108654f1dc71355620073717cafaa6b9c2f76" },
      { "stin": "29AAFFT5678M1Z9", "tradenm": "TECHNO TRADERS", "inum": "TT-2026-0093",
        "inv_typ": "R", "idt": "12-03-2026", "val": 59000.00, "action": "N", "pos": "27",
        "txval": 50000.00, "iamt": 9000.00, "camt": 0, "samt": 0, "cess": 0,
        "srcform": "R1", "rtnprd": "032026", "srcfilstatus": "Not Filed",
        "ispendactblocked": "N", "isRemarksBlocked": "N",
        "hash": "a29709092629c49cc6079e4f0accf446e9f59ef4bc64f9623ea7156fee3e90e5" }
    ],
    "b2ba": [
      { "stin": "07AAGPS9876Q1ZE", "tradenm": "SHARMA ENTERPRISES", "oinum": "SE/1187", "oidt": "20-02-2026",
        "inum": "SE/1187A", "inv_typ": "R", "idt": "20-02-2026", "val": 35400.00, "action": "N", "pos": "27",
        "txval": 30000.00, "iamt": 5400.00, "camt": 0, "samt": 0, "cess": 0,
        "srcform": "R1A", "rtnprd": "022026", "srcfilstatus": "Filed",
        "ispendactblocked": "Y", "isRemarksBlocked": "N", "itcRedReqBlocked": "N",
        "hash": "c4bfc53c5db72a5c4ee2ff82f167e5dd00b6a53d738b5b82fc64080481a4da50" }
    ],
    "b2bcn": [
      { "stin": "27AAHCM1357N1Z2", "tradenm": "MEHTA COMPONENTS PVT LTD", "nt_num": "MC/CN/0012",
        "inv_typ": "R", "nt_dt": "18-03-2026", "val": 11800.00, "action": "N", "pos": "27",
        "txval": 10000.00, "iamt": 0, "camt": 900.00, "samt": 900.00, "cess": 0,
        "srcform": "R1", "rtnprd": "032026", "srcfilstatus": "Filed",
        "ispendactblocked": "N", "isRemarksBlocked": "N", "itcRedReqBlocked": "N",
        "hash": "27ead2395c9cabeb81083286bc0150f277b4021609cf87f24e2364829aa80777" }
    ],
    "ecom": [
      { "stin": "33AAACR2468J1ZD", "tradenm": "QUICKRIDE PLATFORMS LTD", "inum": "ECO/TN/55421",
        "inv_typ": "R", "idt": "25-03-2026", "val": 3540.00, "action": "A", "pos": "27",
        "txval": 3000.00, "iamt": 540.00, "camt": 0, "samt": 0, "cess": 0,
        "srcform": "R1", "rtnprd": "032026", "srcfilstatus": "Filed",
        "ispendactblocked": "N", "isRemarksBlocked": "N",
        "hash": "b684778f03e393838f895229277d40752b49a4f7b1b5832fc8619e70761d9c5b" }
    ]
  }
}"""

RECIPIENT = "27AABCZ1234K1Z9"
