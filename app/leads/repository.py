from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.core.pagination import SortSpec
from app.core.repository import RepositoryBase
from app.models.lead import AssignmentRule, Campaign, Lead, PublicSubmission, WebForm


class LeadRepository(RepositoryBase[Lead]):
    model = Lead
    entity = "lead"
    sorting: ClassVar[SortSpec] = SortSpec(
        Lead.id,
        created_at=Lead.created_at,
        updated_at=Lead.updated_at,
        name=Lead.name,
        score=Lead.score,
    )


class CampaignRepository(RepositoryBase[Campaign]):
    model = Campaign
    entity = "campaign"
    sorting: ClassVar[SortSpec] = SortSpec(
        Campaign.id, name=Campaign.name, created_at=Campaign.created_at
    )


class RuleRepository(RepositoryBase[AssignmentRule]):
    model = AssignmentRule
    entity = "assignment_rule"
    sorting: ClassVar[SortSpec] = SortSpec(AssignmentRule.id, position=AssignmentRule.position)


class WebFormRepository(RepositoryBase[WebForm]):
    model = WebForm
    entity = "web_form"
    sorting: ClassVar[SortSpec] = SortSpec(WebForm.id, name=WebForm.name)


async def form_workspace(session: AsyncSession, token: str) -> uuid.UUID | None:
    """The workspace of an active public form (SECURITY DEFINER: no workspace is bound yet)."""
    workspace: uuid.UUID | None = await session.scalar(
        text("SELECT rapport_form_workspace(:token)"), {"token": token}
    )
    return workspace


async def submissions_since(session: AsyncSession, key: str, since: datetime) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(PublicSubmission)
            .where(PublicSubmission.key == key, PublicSubmission.at >= since)
        )
        or 0
    )


def record_submission(session: AsyncSession, key: str) -> None:
    session.add(PublicSubmission(key=key))
