"""A small TCP proxy that can be cut off or frozen: a database that becomes unreachable for a while
without restarting the shared server (other tests may be using it).

* :meth:`TcpProxy.cut` is an outage that clients notice: connections reset, new ones refused.
* :meth:`TcpProxy.freeze` is a silent partition: nothing is reset, and nothing gets through. Every
  connection open at that moment, and every one opened while frozen, becomes a black hole for
  good (what is sent is acknowledged by the proxy's kernel and dropped, as a middlebox that lost
  the connection's state does); :meth:`TcpProxy.thaw` lets *new* connections through again.
"""

from __future__ import annotations

import socket
import threading
from contextlib import suppress


class TcpProxy:
    """Forwards ``127.0.0.1:<port>`` to ``target``. :meth:`cut` closes every connection and refuses
    new ones (the port is not listened on); :meth:`restore` listens on the same port again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._frozen: set[socket.socket] = set()
        self._freezing = False
        self.accepted = 0

    def start(self) -> TcpProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="tcp-proxy").start()
        return self

    restore = start

    def cut(self) -> None:
        """Drop every connection and stop listening: clients get connection refused."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def stop(self) -> None:
        self.cut()
        with self._lock:
            frozen, self._frozen = self._frozen, set()
        for connection in frozen:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def freeze(self) -> None:
        """A silent partition: the open connections and the new ones lead nowhere, none is reset."""
        with self._lock:
            self._freezing = True
            self._frozen |= self._connections
            self._connections = set()

    def thaw(self) -> None:
        """New connections get through again (the frozen ones stay frozen)."""
        with self._lock:
            self._freezing = False

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close()
                    upstream.close()
                    return
                self.accepted += 1
                (self._frozen if self._freezing else self._connections).update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _is_frozen(self, end: socket.socket) -> bool:
        with self._lock:
            return end in self._frozen

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                if self._is_frozen(source):
                    continue  # swallowed: neither answered nor reset
                sink.sendall(data)
        except OSError:
            pass
        if self._is_frozen(source):
            return  # a frozen connection is never closed by the proxy (stop() does)
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
        with self._lock:
            self._connections.discard(source)
            self._connections.discard(sink)
