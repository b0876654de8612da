from __future__ import annotations

from typing import ClassVar

from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.models.audit import AuditEntry


class AuditRepository(RepositoryBase[AuditEntry]):
    model = AuditEntry
    entity = "audit_entry"
    sorting: ClassVar[SortSpec] = SortSpec(AuditEntry.id, occurred_at=AuditEntry.occurred_at)
