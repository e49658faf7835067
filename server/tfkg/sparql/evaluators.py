"""Evaluator processes: where a query from outside is parsed and run, and can be killed.

Why processes: pyoxigraph cannot interrupt a query, so a thread running a runaway keeps its
core (and memory) until the process ends; issue 13 left both web workers spinning at 100 %
after 20 cartesian queries, and a segfault from a deeply nested query took every request in
flight on that worker with it. Here each query from outside runs in an evaluator process:

- A *zygote* is forked once, from the process that loaded the store, before any web worker
  starts. It holds the store copy-on-write and does nothing but fork evaluators on request, so
  it never runs a query and has no threads to trip a fork. The wall (:mod:`.wall`) is installed
  in it, so every evaluator inherits it.
- An *evaluator* serves one web-worker thread at a time over a Unix socket, on a thread with a
  large stack, under an address-space ceiling (RLIMIT_AS) of TFKG_QUERY_MEMORY MiB above what it
  inherited. Past the deadline the web worker SIGKILLs it (through a pidfd, so a recycled pid is
  never hit) and answers 503; nothing else on the server notices. When it dies on its own, the
  zygote tells the web worker how, so a memory overrun is a clear 503, never a dead server.
- An :class:`EvaluatorPool` in each web worker keeps idle evaluators connected and starts new
  ones on demand, up to its size.

Messages are a 4-byte length and a pickle. Only tfkg's own processes are on either end: the
zygote's socket is in the abstract namespace under a random name, and the zygote serves only
peers that run as its own user (SO_PEERCRED), who could read its memory anyway.
"""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import gc
import os
import pickle
import resource
import secrets
import select
import signal
import socket
import struct
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import TfkgError
from .parsed import RECURSION_LIMIT, STACK_BYTES
from .wall import close_network

_LENGTH = struct.Struct("!I")
_CREDENTIALS = struct.Struct("3i")
#: Seconds after which a query counts as long and runs at the lowest CPU priority.
LONG_QUERY = 0.25
_PR_SET_PDEATHSIG = 1
#: What the zygote sends on an evaluator's connection when it has died on its own.
_DIED = "died"


class EvaluatorError(TfkgError):
    """The evaluator answered nothing: ``reason`` is "deadline", "memory", "crash", "busy" or
    "zygote" (none can be started)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def _send(conn: socket.socket, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    conn.sendall(_LENGTH.pack(len(data)) + data)


def _receive(conn: socket.socket) -> Any:
    """One message, or EOFError when the other end is gone."""
    header = _exactly(conn, _LENGTH.size)
    return pickle.loads(_exactly(conn, _LENGTH.unpack(header)[0]))  # noqa: S301 - both ends are tfkg processes


def _exactly(conn: socket.socket, size: int) -> bytes:
    chunks, missing = [], size
    while missing:
        chunk = conn.recv(min(missing, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux prctl).

    If the parent ended between the fork and this call, no signal will come: exit now.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _same_user(conn: socket.socket) -> bool:
    """Whether the peer runs as this process's user (SO_PEERCRED: pid, uid, gid)."""
    credentials = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, _CREDENTIALS.size)
    uid: int = _CREDENTIALS.unpack(credentials)[1]
    return uid == os.getuid()


def _address_space() -> int:
    """This process's current virtual size in bytes (VmSize in /proc/self/status)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


@dataclass
class Zygote:
    """The process that forks evaluators; started once, before the web workers fork."""

    evaluate: Callable[[Any], Any]
    memory_bytes: int
    #: A request each evaluator answers once before it says it is ready: a fresh process's
    #: first query pays for faulting in its copy-on-write pages (some 25 ms on the real graph).
    warm_up: Any = None
    address: str = ""
    pid: int = 0

    def start(self) -> None:
        """Fork the zygote; returns in the parent once it listens."""
        self.address = f"\0tfkg-evaluators-{os.getpid()}-{secrets.token_hex(8)}"
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(self.address)
        listener.listen(64)
        ready_read, ready_write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            os.close(ready_read)
            try:
                _die_with_parent(parent)
                close_network()
                os.write(ready_write, b"1")
            except BaseException as error:  # the parent reads why and refuses to serve
                os.write(ready_write, b"0" + str(error).encode()[:500])
                os._exit(1)
            os.close(ready_write)
            self._serve(listener)
            os._exit(0)
        os.close(ready_write)
        listener.close()
        with os.fdopen(ready_read, "rb") as ready:
            answer = ready.read(501)
        if answer[:1] != b"1":
            os.waitpid(pid, 0)
            raise TfkgError(f"query evaluators could not start: {answer[1:].decode(errors='replace')}")
        self.pid = pid

    def _serve(self, listener: socket.socket) -> None:
        """Fork an evaluator per connection; tell each connection how its evaluator died."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the master's Ctrl-C is not ours
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # What the zygote inherited stays out of the collector's way in every evaluator: a
        # collection would otherwise touch (and so copy) every inherited object's page.
        gc.freeze()
        listener.settimeout(0.05)
        zygote = os.getpid()
        children: dict[int, socket.socket] = {}
        while True:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                conn = None
            if conn is not None and not _same_user(conn):
                conn.close()  # an abstract socket has no file permissions: check the peer
                conn = None
            if conn is not None:
                conn.settimeout(None)
                pid = os.fork()
                if pid == 0:
                    listener.close()
                    for other in children.values():
                        other.close()
                    self._evaluator(conn, zygote)
                    os._exit(0)
                children[pid] = conn
            while children:
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                conn = children.pop(pid, None)
                if conn is not None:
                    try:
                        conn.settimeout(0.1)
                        _send(conn, (_DIED, os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0))
                    except OSError:
                        pass  # the web worker has gone already (it killed this one)
                    conn.close()

    def _evaluator(self, conn: socket.socket, zygote: int) -> None:
        """An evaluator: answer the connection's requests on a large stack, under a ceiling."""
        _die_with_parent(zygote)
        # A memory overrun is reported to the client, not dumped into the server's log.
        os.environ["RUST_BACKTRACE"] = "0"
        faulthandler.disable()
        sys.setrecursionlimit(RECURSION_LIMIT)
        threading.stack_size(STACK_BYTES)
        worker = threading.Thread(target=self._answer, args=(conn,), name="tfkg-evaluator")
        worker.start()
        # The ceiling counts from what this process already maps (the store, the stack above).
        limit = _address_space() + self.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        worker.join()

    def _answer(self, conn: socket.socket) -> None:
        if self.warm_up is not None:
            with contextlib.suppress(Exception):
                self.evaluate(self.warm_up)
        _send(conn, ("ready", os.getpid()))
        while True:
            try:
                request = _receive(conn)
            except (EOFError, OSError):
                return
            try:
                reply: tuple[str, Any] = ("ok", self.evaluate(request))
            except MemoryError:
                reply = ("memory", None)
            except BaseException as error:
                reply = ("error", error)
            try:
                _send(conn, reply)
            except MemoryError:
                _send(conn, ("memory", None))
            except OSError:
                return


@dataclass
class _Evaluator:
    conn: socket.socket
    pid: int
    pidfd: int
    demoted: bool = False

    def alive(self) -> bool:
        """Whether it is still there: its pidfd is not readable (the process has not exited;
        the zygote may not have reaped it yet) and its connection has nothing to read."""
        if self.pidfd < 0 or select.select([self.pidfd], [], [], 0)[0]:
            return False
        try:
            self.conn.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return True
        except OSError:
            return False
        return False  # EOF, or the zygote's notice that it died

    def demote(self) -> None:
        """Move every thread of the evaluator to SCHED_IDLE: a core only when nothing else
        wants one. Per thread, since Linux schedules threads: the query runs on the
        evaluator's second thread, not the one whose id is the pid."""
        self.demoted = True
        try:
            threads = os.listdir(f"/proc/{self.pid}/task")
        except OSError:
            return
        for tid in threads:
            with contextlib.suppress(OSError, ValueError):
                os.sched_setscheduler(int(tid), os.SCHED_IDLE, os.sched_param(0))

    def promote(self) -> bool:
        """Back to the normal scheduling class after a long query, where allowed (root, or an
        RLIMIT_NICE of 20); False where not, and the evaluator is then retired instead."""
        try:
            for tid in os.listdir(f"/proc/{self.pid}/task"):
                os.sched_setscheduler(int(tid), os.SCHED_OTHER, os.sched_param(0))
        except (OSError, ValueError):
            return False
        self.demoted = False
        return True

    def kill(self) -> None:
        if self.pidfd >= 0:
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        self.close()

    def close(self) -> None:
        """Drop the connection and the pidfd (once: a pool that is closed may meet it again)."""
        if self.pidfd >= 0:
            self.conn.close()
            os.close(self.pidfd)
            self.pidfd = -1


def _stop_zygote(pid: int, creator: int, idle: list[_Evaluator] | None = None) -> None:
    for evaluator in idle or []:
        evaluator.close()
    if idle:
        idle.clear()
    if os.getpid() != creator:
        return
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


class EvaluatorPool:
    """A web worker's evaluators: at most ``size`` at once, idle ones kept connected."""

    def __init__(self, zygote: Zygote, size: int, memory_mib: int, spares: int = 2) -> None:
        self.zygote = zygote
        self.size = size
        self.memory_mib = memory_mib
        #: Idle evaluators kept ready, so that no request waits for a fork and a warm-up.
        self.spares = spares
        self._spawning = 0
        self._idle: list[_Evaluator] = []
        self._lock = threading.Lock()
        self._free = threading.Semaphore(size)
        self._owner = os.getpid()
        # When the pool goes (an app dropped in tests, the CLI exiting), its zygote goes too,
        # but only from the process that made it: a web worker exiting must not stop the
        # zygote its siblings share.
        weakref.finalize(self, _stop_zygote, zygote.pid, os.getpid(), self._idle)

    def close(self) -> None:
        """Stop the zygote, and with it every evaluator (they die with their parent)."""
        with self._lock:
            _stop_zygote(self.zygote.pid, self._owner, self._idle)

    def evaluate(self, request: object, timeout: float) -> Any:
        """Evaluate ``request`` in an evaluator within ``timeout`` seconds.

        Returns what the evaluator's function returned, raises what it raised, or
        EvaluatorError when it was killed at the deadline or died on its own.
        """
        deadline = time.monotonic() + timeout
        if not self._free.acquire(timeout=timeout):
            raise EvaluatorError("The server is busy with other queries; try again shortly.", "busy")
        try:
            for attempt in (1, 2):
                # The retry after a kill from outside gets a freshly forked evaluator: idle ones
                # may have been killed in the same sweep and not be reaped yet (alive() can't tell).
                evaluator = self._take() if attempt == 1 else self._start()
                try:
                    _send(evaluator.conn, request)
                    kind, value = self._reply(evaluator, deadline)
                except TimeoutError:
                    evaluator.kill()
                    raise EvaluatorError("deadline", "deadline") from None
                except (EOFError, OSError, pickle.UnpicklingError):
                    # Gone without the zygote's word (it hung up as the request arrived):
                    # treated as killed from outside.
                    evaluator.kill()
                    kind, value = _DIED, signal.SIGKILL
                if kind != _DIED:
                    break
                evaluator.close()
                # SIGKILL came from outside (an operator, the kernel's OOM killer), not from this
                # query: the request did nothing wrong, so it gets one fresh evaluator.
                if value != signal.SIGKILL or attempt == 2:
                    raise self._crash(value)
            evaluator.conn.settimeout(None)
            if evaluator.demoted and not evaluator.promote():
                evaluator.kill()  # its priority cannot be raised again: a fresh one replaces it
            else:
                with self._lock:
                    self._idle.append(evaluator)
            if kind == "memory":
                raise self._memory()
            if kind == "error":
                raise value
            return value
        finally:
            self._free.release()

    def _reply(self, evaluator: _Evaluator, deadline: float) -> tuple[str, Any]:
        """Wait for the evaluator's reply until the deadline (TimeoutError past it).

        A query still running after LONG_QUERY seconds is demoted to the idle scheduling class
        (SCHED_IDLE, which needs no privilege), so that long queries yield the cores to short
        ones: with four clients sending runaway queries, a cheap query's p99 stays near its
        idle p99.
        """
        first_wait = min(LONG_QUERY, deadline - time.monotonic())
        evaluator.conn.settimeout(max(0.001, first_wait))
        try:
            return _receive(evaluator.conn)  # type: ignore[no-any-return]
        except TimeoutError:
            if time.monotonic() >= deadline:
                raise
        evaluator.demote()
        evaluator.conn.settimeout(max(0.001, deadline - time.monotonic()))
        return _receive(evaluator.conn)  # type: ignore[no-any-return]

    def _memory(self) -> EvaluatorError:
        return EvaluatorError(
            f"The query used more memory than its ceiling ({self.memory_mib} MiB, TFKG_QUERY_MEMORY) "
            "and was stopped. Narrow it (add LIMIT, bind more variables) or run it on the downloads.",
            "memory",
        )

    def _crash(self, signal_number: int | None) -> EvaluatorError:
        # Rust aborts (SIGABRT) when an allocation fails under the ceiling.
        if signal_number == signal.SIGABRT:
            return self._memory()
        return EvaluatorError(
            "The query stopped its evaluator"
            + (f" (signal {signal_number})" if signal_number else "")
            + "; nothing else was affected. Simplify the query; if it is ordinary SPARQL, please report it.",
            "crash",
        )

    def _take(self) -> _Evaluator:
        """An idle evaluator, or a new one forked by the zygote."""
        if os.getpid() != self._owner:  # forked (a new web worker): the parent's are not ours
            with self._lock:
                for evaluator in self._idle:
                    evaluator.close()
                self._idle.clear()
                self._owner = os.getpid()
        try:
            while True:
                with self._lock:
                    if not self._idle:
                        break
                    evaluator = self._idle.pop()
                if evaluator.alive():
                    return evaluator
                evaluator.close()
            return self._start()
        finally:
            self._replenish()

    def _replenish(self) -> None:
        """Start spare evaluators in the background, up to ``spares`` idle ones."""
        with self._lock:
            missing = self.spares - len(self._idle) - self._spawning
            self._spawning += max(0, missing)
        for _ in range(missing):
            threading.Thread(target=self._spare, name="tfkg-evaluator-spare", daemon=True).start()

    def _spare(self) -> None:
        try:
            evaluator = self._start()
        except EvaluatorError:
            evaluator = None
        with self._lock:
            self._spawning -= 1
            if evaluator is not None:
                self._idle.insert(0, evaluator)  # the warm ones in use stay on top

    def _start(self) -> _Evaluator:
        """A new evaluator: the zygote forks it, and it warms up before it says it is ready."""
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.settimeout(10)
            conn.connect(self.zygote.address)
        except OSError as error:
            conn.close()
            raise EvaluatorError(f"The evaluators' zygote is gone: {error}", "zygote") from None
        try:
            kind, pid = _receive(conn)
            assert kind == "ready"
            pidfd = os.pidfd_open(pid)
        except (OSError, EOFError, AssertionError) as error:
            conn.close()
            raise EvaluatorError(f"No query evaluator could be started: {error}", "crash") from None
        conn.settimeout(None)
        return _Evaluator(conn, pid, pidfd)
