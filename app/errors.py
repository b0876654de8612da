"""Errors carry their HTTP status and a stable code; all leave as RFC 9457 problem+json."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.core.context import current_request_id

logger = logging.getLogger("rapport.errors")

PROBLEM_TYPE_BASE = "https://rapport.dev/problems/"


class FieldError(BaseModel):
    field: str = Field(description="Dotted path of the offending field, e.g. `body.email`")
    message: str = Field(description="What is wrong with it (English)")


class Problem(BaseModel):
    """RFC 9457 problem details, as every error response of the API."""

    type: str = Field(description="URI identifying the problem type")
    title: str = Field(description="Short, stable English summary")
    status: int = Field(description="HTTP status code")
    detail: str = Field(description="Explanation of this occurrence")
    code: str = Field(description="Stable machine-readable code (translate on this)")
    request_id: str | None = Field(description="The request id, also in X-Request-ID")
    errors: list[FieldError] = Field(description="Field errors, empty when not applicable")


class AppError(Exception):
    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"
    #: commit what the request wrote before failing (e.g. a failed sign-in's counter)
    keeps_writes: ClassVar[bool] = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        code: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.headers = headers or {}
        #: RFC 9457 extension members (e.g. duplicate `candidates`)
        self.extra = extra or {}
        if code:
            self.code = code  # type: ignore[misc]


class BadRequest(AppError):
    pass


class InvalidCursor(AppError):
    code = "invalid_cursor"
    title = "Invalid cursor"


class NotAuthenticated(AppError):
    status = 401
    code = "not_authenticated"
    title = "Not authenticated"


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class CsrfFailed(AppError):
    status = 403
    code = "csrf_failed"
    title = "CSRF token missing or invalid"


class NotFound(AppError):
    status = 404
    code = "not_found"
    title = "Not found"


class Conflict(AppError):
    status = 409
    code = "conflict"
    title = "Conflict"


class PreconditionFailed(AppError):
    status = 412
    code = "precondition_failed"
    title = "The resource was changed by someone else"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    title = "Request body too large"


class UnprocessableEntity(AppError):
    status = 422
    code = "validation_error"
    title = "Validation failed"


class TooManyRequests(AppError):
    status = 429
    code = "too_many_requests"
    title = "Too many requests"


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body = Problem(
        type=PROBLEM_TYPE_BASE + code.replace("_", "-"),
        title=title,
        status=status,
        detail=detail,
        code=code,
        request_id=current_request_id(),
        errors=errors or [],
    )
    content = body.model_dump()
    if extra:
        content.update({k: v for k, v in extra.items() if k not in content})
    return JSONResponse(
        content,
        status_code=status,
        headers=headers,
        media_type="application/problem+json",
    )


def problem_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: documents each error status with the problem schema."""
    out: dict[int | str, dict[str, Any]] = {}
    all_errors: list[type[AppError]] = [*errors, UnprocessableEntity]
    for err in all_errors:
        entry = out.setdefault(
            err.status,
            {
                "description": err.title,
                "model": Problem,
                "content": {"application/problem+json": {}},
            },
        )
        if err.title not in entry["description"]:
            entry["description"] += f" / {err.title}"
    return out


def _loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


_QUERY_400 = {("query", "sort"): "invalid_sort"}


async def _app_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, AppError)
    return problem_response(
        exc.status, exc.code, exc.title, exc.detail, exc.errors, exc.headers, exc.extra
    )


async def _validation_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    raw = list(exc.errors())
    errors = [FieldError(field=_loc(e["loc"]), message=e["msg"]) for e in raw]
    for e in raw:
        if e.get("type") == "json_invalid":
            return problem_response(
                400,
                "malformed_json",
                "Malformed JSON body",
                "The request body is not valid JSON.",
                errors,
            )
    bad_query = {tuple(e["loc"][:2]) for e in raw if e["loc"] and e["loc"][0] == "query"}
    for loc, code in _QUERY_400.items():
        if loc in bad_query:
            return problem_response(
                400, code, "Invalid query parameter", f"Unsupported value for `{loc[1]}`.", errors
            )
    return problem_response(
        422, "validation_error", "Validation failed", "The request has invalid fields.", errors
    )


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    codes = {
        404: ("not_found", "Not found"),
        405: ("method_not_allowed", "Method not allowed"),
        413: ("payload_too_large", "Request body too large"),
        400: ("bad_request", "Bad request"),
    }
    code, title = codes.get(exc.status_code, ("http_error", "HTTP error"))
    detail = exc.detail if isinstance(exc.detail, str) else title
    return problem_response(
        exc.status_code, code, title, detail, headers=getattr(exc, "headers", None)
    )


# PostgreSQL constraint classes that mean "the request conflicts with the data", not a bug:
# a race past a pre-check (two parallel creates of one unique name), or a value the
# database refuses. They answer as problems; anything else stays a 500.
_SQLSTATE_PROBLEMS = {
    "23505": (409, "unique_violation", "Conflict", "Another record already has this value."),
    "23503": (
        422,
        "invalid_reference",
        "Validation failed",
        "A referenced record does not exist (or is not yours).",
    ),
    "23514": (
        422,
        "constraint_violation",
        "Validation failed",
        "A value breaks a rule of the data model.",
    ),
    "23502": (422, "constraint_violation", "Validation failed", "A required value is missing."),
    "22001": (422, "value_too_long", "Validation failed", "A value is too long."),
    "22003": (422, "value_out_of_range", "Validation failed", "A number is out of range."),
    "22007": (422, "invalid_value", "Validation failed", "A date or time is invalid."),
    "22008": (422, "invalid_value", "Validation failed", "A date or time is out of range."),
    # raised by the driver before the query is sent: a value PostgreSQL cannot hold, such
    # as a time beyond its range in a query parameter
    "22000": (422, "invalid_value", "Validation failed", "A value is out of range."),
    "22P02": (422, "invalid_value", "Validation failed", "A value has the wrong format."),
    "22021": (422, "invalid_value", "Validation failed", "Text contains a NUL character."),
    "54000": (422, "value_too_long", "Validation failed", "A value is too large to index."),
    # two transactions waited on each other (e.g. both adjusting the same board totals);
    # PostgreSQL rolled this one back whole, so sending it again is safe
    "40P01": (
        503,
        "write_conflict",
        "Try again",
        "Another change to the same records was being saved at the same moment; nothing was "
        "saved. Send the request again.",
    ),
    "40001": (
        503,
        "write_conflict",
        "Try again",
        "Another change to the same records was being saved at the same moment; nothing was "
        "saved. Send the request again.",
    ),
}


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    for candidate in (orig, getattr(orig, "__cause__", None)):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if code:
            return str(code)
    return None


async def _database_error(request: Request, exc: Exception) -> Response:
    code = _sqlstate(exc)
    if code in _SQLSTATE_PROBLEMS:
        status, problem_code, title, detail = _SQLSTATE_PROBLEMS[code]
        constraint = getattr(getattr(exc, "orig", None), "constraint_name", None)
        if constraint is None:
            constraint = getattr(
                getattr(getattr(exc, "orig", None), "__cause__", None), "constraint_name", None
            )
        return problem_response(
            status,
            problem_code,
            title,
            detail,
            headers={"Retry-After": "1"} if status == 503 else None,
            extra={"constraint": constraint} if constraint else None,
        )
    return await _unhandled(request, exc)


async def _unhandled(_: Request, exc: Exception) -> Response:
    logger.exception("unhandled error", exc_info=exc)
    return problem_response(
        500,
        "internal_error",
        "Internal server error",
        "Something went wrong on our side; the request id helps us find it.",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(Exception, _unhandled)
