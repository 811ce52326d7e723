"""Check recorded HTTP exchanges against an OpenAPI 3.0 document (openapi-schema-validator).

``Recorder`` is a real transport that keeps every request with its decoded answer;
``Contract(spec).check(request, response)`` asserts that the path and method exist, the query
parameters are declared and typed, the request body and the answer validate against their schemas.
``undocumented`` maps (method, path) to (status sent, status documented, answer schema or None)
for the places where the document and the real server disagree.
"""

from __future__ import annotations

import json
import random
import re

import httpx
from openapi_schema_validator import OAS30Validator, oas30_format_checker

SAMPLE = 50  # elements validated per list, to keep the tests fast


class Recorder(httpx.BaseTransport):
    """A real transport that keeps each request and its (decoded) answer."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        answer = self.inner.handle_request(request)
        body = httpx.Response(
            answer.status_code, headers=answer.headers, stream=answer.stream
        ).read()
        headers = [
            (k, v)
            for k, v in answer.headers.items()
            if k.lower() not in ("content-encoding", "content-length", "transfer-encoding")
        ]
        self.exchanges.append(
            (request, httpx.Response(answer.status_code, headers=headers, content=body))
        )
        return httpx.Response(answer.status_code, headers=headers, stream=_Replay(body))

    def close(self) -> None:
        self.inner.close()


class _Replay(httpx.SyncByteStream):
    def __init__(self, body: bytes) -> None:
        self.body = body

    def __iter__(self):
        yield self.body


class Contract:
    def __init__(self, spec: dict, undocumented: dict | None = None, url_base: str = ""):
        self.spec = spec
        self.undocumented = undocumented or {}
        self.url_base = url_base

    def operation(self, method: str, path: str) -> tuple[str, dict]:
        """The spec's (template, operation); a literal path wins over a template (``/{id}``)."""
        paths = self.spec["paths"]
        template = path if path in paths else None
        if template is None:
            for candidate in paths:
                if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", candidate), path):
                    template = candidate
                    break
        assert template is not None, f"{path}: no such path in the spec"
        assert method.lower() in paths[template], f"{method} {path}: not in the spec"
        return template, paths[template][method.lower()]

    def validate(self, instance, schema: dict, where: str) -> None:
        root = {**schema, "components": self.spec["components"]}
        validator = OAS30Validator(root, format_checker=oas30_format_checker)
        errors = list(validator.iter_errors(instance))
        assert not errors, f"{where}: {errors[0].message} at {list(errors[0].absolute_path)}"

    def check(self, request: httpx.Request, response: httpx.Response) -> None:
        method, path = request.method, request.url.path.removeprefix(self.url_base)
        where = f"{method} {path}"
        template, op = self.operation(method, path)
        declared = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "query"}
        for name, value in request.url.params.multi_items():
            assert name in declared, f"{where}: query parameter {name!r} is not declared"
            schema = declared[name]["schema"]
            self.validate(_typed(value, schema), schema, where)
        if request.content:
            kind = request.headers["Content-Type"].split(";")[0]
            content = op["requestBody"]["content"]
            assert kind in content, f"{where}: request body as {kind} is not documented"
            self.validate(json.loads(request.content), content[kind]["schema"], f"{where} request")
        status, documented, schema = self.undocumented.get((method, template), (200, "200", None))
        assert response.status_code == status, f"{where}: answered {response.status_code}"
        answer = op["responses"][documented]
        if schema is None and "content" not in answer:
            return  # documented without a body
        kind = response.headers["Content-Type"].split(";")[0]
        if schema is None:
            assert kind in answer["content"], f"{where}: answer as {kind} is not documented"
            schema = answer["content"][kind]["schema"]
        self.validate(_sampled(response.json()), schema, f"{where} answer")


def _sampled(body):
    if isinstance(body, list) and len(body) > SAMPLE:
        return random.Random(0).sample(body, SAMPLE)
    return body


def _typed(value: str, schema: dict):
    if schema.get("type") == "boolean":
        assert value in ("true", "false")
        return value == "true"
    if schema.get("type") == "integer":
        return int(value)
    return value
