"""Nothing personal in a temporary file: an upload up to the request cap stays in memory.

Starlette's multipart parser spools a file part to a temporary file past 1 MiB; the app
raises that threshold above its request cap (api/app.py keep_uploads_in_memory). The test
runs the real parser on a real multipart body just under the cap.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from refuge.api.app import keep_uploads_in_memory
from refuge.api.settings import WebSettings


def _parse(body: bytes, boundary: str) -> Any:
    async def run() -> Any:
        sent = False

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        scope = {
            "type": "http",
            "method": "POST",
            "path": "/reports",
            "headers": [(b"content-type", f"multipart/form-data; boundary={boundary}".encode())],
        }
        form = await Request(scope, receive).form()
        upload = form["upload"]
        assert isinstance(upload, UploadFile)
        rolled = upload.file._rolled  # type: ignore[attr-defined]
        size = len(await upload.read())
        await form.close()
        return rolled, size

    return asyncio.run(run())


def test_an_upload_as_large_as_the_cap_is_never_spooled_to_disk() -> None:
    cap = WebSettings().max_body_bytes
    keep_uploads_in_memory(cap)
    boundary = "refuge-test-boundary"
    content = b"Canary report text. " * ((cap - 1024) // 20)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; '
            f'filename="r.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    assert len(content) > 1024 * 1024  # past Starlette's default spool threshold
    rolled, size = _parse(body, boundary)
    assert size == len(content)
    assert rolled is False
