"""The pipe between the preview server and its renderer process: length-prefixed pickled messages."""
from __future__ import annotations

import pickle
import struct
from dataclasses import dataclass
from typing import IO, Any

_HEADER = struct.Struct(">I")


@dataclass
class Reply:
    """What to answer to one request: a body, or a file on disk that the server streams itself."""

    status: int
    content_type: str
    body: bytes = b""
    file: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


def send(stream: IO[bytes], message: Any) -> None:
    """Write one message and flush it."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def receive(stream: IO[bytes]) -> Any:
    """Read one message; raise EOFError when the other side has gone."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError("canal fermé")
    size = _HEADER.unpack(header)[0]
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("canal fermé")
    # Both ends are this program, started by the server itself: nothing else writes to this pipe.
    return pickle.loads(data)
