"""Problems in the data, as data (not exceptions): each names its row, field and fix."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    code: str                 # stable slug, e.g. "pending-blocked", "gstin-checksum"
    message: str              # what is wrong and how to fix it
    severity: str = ERROR
    row: int | None = None    # sheet or source-file row number, as a spreadsheet shows it
    field: str = ""           # column header or JSON key
    record: str = ""          # record label: "B2B 27AAHCM1357N1Z2 MC/25-26/0451"

    def __str__(self) -> str:
        where = " ".join(p for p in (
            f"row {self.row}" if self.row is not None else "",
            f"[{self.field}]" if self.field else "",
            self.record) if p)
        return f"{self.severity.upper()} {where}: {self.message}" if where else \
            f"{self.severity.upper()}: {self.message}"


@dataclass
class Report:
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def by_row(self) -> dict[int, list[Issue]]:
        out: dict[int, list[Issue]] = {}
        for i in self.issues:
            if i.row is not None:
                out.setdefault(i.row, []).append(i)
        return out

    def to_json(self) -> list[dict]:
        return [asdict(i) for i in self.issues]
