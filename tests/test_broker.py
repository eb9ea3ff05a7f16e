"""The serverless broker (nastavnik/broker.py): a consumer never takes a message that is half-written."""

from __future__ import annotations

import os
from queue import Empty

import pytest
from django.conf import settings
from kombu import Connection

from nastavnik import broker
from nastavnik.celery import app as celery_app


@pytest.fixture
def connection(tmp_path):
    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "processed_folder": str(tmp_path),
        "store_processed": False,
    }
    with Connection("filesystem://", transport=broker.Transport, transport_options=options) as conn:
        yield conn


def test_a_consumer_polling_while_a_message_is_written_takes_nothing(connection, monkeypatch):
    channel = connection.default_channel
    taken_mid_write = []
    real_str_to_bytes = broker.str_to_bytes

    def encode_after_a_consumer_looked(text):
        # Called while the message's file is open for writing: a consumer polls at this moment.
        try:
            taken_mid_write.append(channel._get("jobs"))
        except Empty:
            pass
        except ValueError as error:  # an empty file taken and failed to decode: the message is lost
            taken_mid_write.append(error)
        return real_str_to_bytes(text)

    monkeypatch.setattr(broker, "str_to_bytes", encode_after_a_consumer_looked)
    channel._put("jobs", {"body": "whole", "n": 1})

    assert taken_mid_write == []
    assert channel._get("jobs") == {"body": "whole", "n": 1}
    assert [name for name in os.listdir(channel.data_folder_in) if name.startswith(broker.STAGING_PREFIX)] == []


def test_messages_come_out_in_the_order_they_went_in(connection):
    channel = connection.default_channel
    for number in range(30):
        channel._put("jobs", {"n": number})
    assert [channel._get("jobs")["n"] for _ in range(30)] == list(range(30))
    assert channel._size("jobs") == 0


def test_names_sort_as_numbers():
    # Zero-padded: a counter that gains a digit still sorts after the shorter ones.
    names = [broker.message_name("jobs") for _ in range(3)]
    assert all(len(name.split("_", 1)[0]) == 20 for name in names)
    assert names == sorted(names)


def test_the_project_uses_it_without_redis():
    if settings.REDIS_URL:
        pytest.skip("REDIS_URL is set: the broker is Redis")
    with celery_app.connection_for_write() as conn:
        assert conn.transport.Channel is broker.Channel
