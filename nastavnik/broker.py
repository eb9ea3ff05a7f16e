"""The serverless broker used when REDIS_URL is unset: Kombu's filesystem transport, made safe.

Kombu's own `_put` creates the message file and only then writes into it, while a consumer takes
any file whose name matches (moving it away and reading it). A consumer that comes between the two
reads an empty file, fails to decode it and the message is lost — under load about one message in
two hundred (the e2e monitoring export waited forever for one such). Here a message is written
under a name no consumer takes and renamed into place when complete: a rename within one folder
is atomic, so a consumer sees either no file or the whole message.

The time prefix is also in nanoseconds and zero-padded: Kombu sorts the names as text, so messages
sent within one millisecond came out in random order, and a counter that gains a digit would put
newer messages before older ones.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from time import monotonic_ns

from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

# A staged message's name starts with a dot: Kombu matches `<anything>.<queue>.msg` by the text
# after the first dot, which for a staged name is never `<queue>.msg`.
STAGING_PREFIX = ".staging-"


def message_name(queue: str) -> str:
    return f"{monotonic_ns():020d}_{uuid.uuid4()}.{queue}.msg"


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put the message onto the queue whole: write a staged file, then rename it into the queue."""
        name = message_name(queue)
        final = os.path.join(self.data_folder_out, name)
        staged = os.path.join(self.data_folder_out, STAGING_PREFIX + name)
        try:
            with open(staged, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(staged, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.remove(staged)
            raise filesystem.ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
