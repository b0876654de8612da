from __future__ import annotations

import re
import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from app.core.schemas import RequestSchema, ResponseSchema

#: `*`, `customer.created` or `customer.*`
EVENT_TYPE_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$")


def _check_types(values: list[str]) -> list[str]:
    for value in values:
        if not EVENT_TYPE_PATTERN.match(value):
            raise ValueError(
                f"{value!r} is not an event type: use `customer.created`, `customer.*` or `*`"
            )
    return list(dict.fromkeys(values))


EventTypes = Annotated[list[Annotated[str, Field(max_length=100)]], AfterValidator(_check_types)]


class DeliveryStatus(StrEnum):
    pending = "pending"
    delivered = "delivered"
    failed = "failed"


class DisabledReason(StrEnum):
    manual = "manual"
    gone = "gone"
    failing = "failing"


class WebhookEndpoint(ResponseSchema):
    id: uuid.UUID = Field(description="Endpoint id")
    url: str = Field(description="Where events are POSTed")
    description: str | None = Field(description="What the endpoint is for")
    event_types: list[str] = Field(
        description="Event types sent: exact (`customer.created`), prefix (`customer.*`) or `*`"
    )
    active: bool = Field(description="Whether events are sent to it")
    disabled_reason: DisabledReason | None = Field(
        description="Why it is off: by a person, answered 410 Gone, or failed repeatedly"
    )
    disabled_at: datetime | None = Field(description="When it was switched off")
    secret_prefix: str = Field(description="The start of the signing secret, to tell secrets apart")
    previous_secret_expires_at: datetime | None = Field(
        description="Until then the previous secret signs too (after a rotation)"
    )
    consecutive_failures: int = Field(
        description="Deliveries that exhausted their retries since the last success"
    )
    last_success_at: datetime | None = Field(description="Last successful delivery")
    last_failure_at: datetime | None = Field(description="Last failed attempt")
    created_at: datetime = Field(description="Created at")
    updated_at: datetime = Field(description="Last changed at")
    version: int = Field(description="Version (ETag)")


class WebhookEndpointCreated(WebhookEndpoint):
    secret: str = Field(description="The signing secret (`whsec_…`); shown only in this response")


class WebhookEndpointCreate(RequestSchema):
    url: str = Field(min_length=8, max_length=2000, description="http(s) URL receiving POSTs")
    description: str | None = Field(default=None, max_length=500, description="What it is for")
    event_types: EventTypes = Field(
        default_factory=lambda: ["*"],
        min_length=1,
        max_length=50,
        description="Event types to send; `customer.*` matches a prefix, `*` everything",
    )
    active: bool = Field(default=True, description="Send events to it")


class WebhookEndpointUpdate(RequestSchema):
    url: str | None = Field(default=None, min_length=8, max_length=2000, description="New URL")
    description: str | None = Field(default=None, max_length=500, description="What it is for")
    event_types: EventTypes | None = Field(
        default=None, min_length=1, max_length=50, description="Event types to send"
    )
    active: bool | None = Field(
        default=None, description="Switch sending on (again) or off; on clears the failure count"
    )


class RotateSecret(RequestSchema):
    overlap_hours: int = Field(
        default=24,
        ge=0,
        le=168,
        description="Hours the previous secret keeps signing beside the new one (0 = none)",
    )


class WebhookSecret(ResponseSchema):
    secret: str = Field(description="The new signing secret; shown only in this response")
    previous_secret_expires_at: datetime | None = Field(
        description="Until then both secrets sign every message"
    )


class WebhookDelivery(ResponseSchema):
    id: uuid.UUID = Field(description="Delivery id")
    webhook_id: str = Field(description="The `webhook-id` header: the same on every attempt")
    endpoint_id: uuid.UUID = Field(description="Endpoint")
    event_id: int | None = Field(description="Outbox event (null for test events)")
    event_type: str = Field(description="Event type, e.g. `customer.updated`")
    status: DeliveryStatus = Field(description="pending → delivered | failed")
    attempts: int = Field(description="Attempts made so far")
    next_attempt_at: datetime | None = Field(description="When the next attempt is due")
    last_status_code: int | None = Field(description="HTTP status of the last attempt")
    last_error: str | None = Field(description="Error of the last attempt (no HTTP answer)")
    delivered_at: datetime | None = Field(description="When a 2xx answer arrived")
    created_at: datetime = Field(description="When the event was queued for this endpoint")


class WebhookAttempt(ResponseSchema):
    attempt: int = Field(description="1 for the first attempt")
    manual: bool = Field(description="Asked for by a person (redeliver / test)")
    started_at: datetime = Field(description="When the request was sent")
    finished_at: datetime | None = Field(
        description="When it ended; null if the worker stopped mid-request or it is in flight"
    )
    status_code: int | None = Field(description="HTTP status answered")
    latency_ms: int | None = Field(description="Time to the answer in milliseconds")
    response_excerpt: str | None = Field(description="Start of the answer body (≤ 1 KB)")
    error: str | None = Field(description="Why no usable answer came (timeout, refused, ...)")


class WebhookDeliveryDetail(WebhookDelivery):
    payload: dict[str, Any] = Field(description="The body sent: `{type, timestamp, data}`")
    attempts_log: list[WebhookAttempt] = Field(description="Every attempt, oldest first")
