"""The demo's port probe answers as the web server's own bind would (SO_REUSEADDR).

After Ctrl-C the server's closed connections linger in TIME-WAIT for up to a minute; granian
binds over them, so the probe must not call such a port busy. A live listener still is.
"""

from __future__ import annotations

import socket

from closeloop.ops.processes import port_is_free


def leave_a_time_wait_socket() -> int:
    """Serve one connection on a fresh port and close it from the server side first, as a
    stopped server does: the server's end of that connection stays in TIME-WAIT."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    served, _ = listener.accept()
    served.close()  # the active close: this end goes to TIME-WAIT
    listener.close()
    client.recv(1)  # the server's FIN has arrived
    client.close()
    return port


def test_a_port_left_in_time_wait_by_a_stopped_server_is_free():
    port = leave_a_time_wait_socket()
    with socket.socket() as plain:  # the situation is real: a plain bind is refused
        try:
            plain.bind(("127.0.0.1", port))
            lingering = False
        except OSError:
            lingering = True
    assert lingering, "no TIME-WAIT socket remained; the test proves nothing"
    assert port_is_free("127.0.0.1", port)


def test_a_port_with_a_live_listener_is_busy():
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert not port_is_free("127.0.0.1", taken.getsockname()[1])


def test_a_port_bound_without_listening_is_busy_too():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        assert not port_is_free("127.0.0.1", taken.getsockname()[1])
