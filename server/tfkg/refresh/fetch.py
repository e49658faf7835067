"""Downloading one depositary file, with a deadline and a size cap, and plain-word failures."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

from ..errors import TfkgError

#: No status page or chart comes near this; a response that does is not one.
MAX_BYTES = 64 * 1024 * 1024
USER_AGENT = "tfkg-refresh (https://w3id.org/tfkg/)"


class FetchError(TfkgError):
    """The file could not be downloaded; the message says from where and why, in one line."""


def download(url: str, dest: Path, timeout: float) -> Path:
    """Fetch ``url`` into ``dest``; raise :class:`FetchError` on a timeout or an HTTP error."""
    if not url.startswith(("http://", "https://")):
        raise FetchError(f"{url}: only http and https URLs are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - scheme checked
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as error:
        error.close()  # it holds the response's socket
        raise FetchError(f"{url}: HTTP {error.code} {error.reason}") from None
    except TimeoutError:
        raise FetchError(f"{url}: no answer within {timeout:g} s (timeout)") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise FetchError(f"{url}: no answer within {timeout:g} s (timeout)") from None
        raise FetchError(f"{url}: cannot connect ({error.reason})") from None
    except OSError as error:
        raise FetchError(f"{url}: the connection failed ({error})") from None
    if len(body) > MAX_BYTES:
        raise FetchError(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MiB, not a status file")
    if not body.strip():
        raise FetchError(f"{url}: the server answered with an empty file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(body)
    return dest
