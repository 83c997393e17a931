"""The writer of the mixed run: a staff member logging activities while the public reads.

Every `interval` seconds, on the clock, it logs an activity through the staff form (a real
POST through gunicorn, CSRF token, session and all) on the commitment being measured, so
the pages of that kommun and the national pages change under the readers. As soon as a POST
has returned (the write is committed), a second thread reads a page that must show the
write, anonymously (the cached path), from the instance it wrote through and from every
other instance sharing the database, gzip-encoded as a browser gets it and uncompressed,
and counts the answers that do not show it: stale responses.
"""

import datetime
import http.client
import itertools
import queue
import threading
import time
import zoneinfo

from bench.client import BROWSER_ACCEPT_ENCODING, Session, log, staff_session

REGISTER = "/personal/registrera/"
# The server's TIME_ZONE: the form refuses a date in the future, and the commitment page
# lists the newest date first, so the write is dated with the server's today.
SERVER_ZONE = zoneinfo.ZoneInfo("Europe/Stockholm")


def marker(token, number):
    """The place written with write `number`: unique, and visible on the commitment page."""
    return f"bench-write-{token}-{number}"


class Writer(threading.Thread):
    def __init__(self, port, check_ports, commitment, check_path, token, interval=0.5):
        super().__init__(daemon=True)
        self.port, self.check_ports = port, check_ports
        self.commitment, self.check_path = commitment, check_path
        self.token, self.interval = token, interval
        self.halt = threading.Event()
        self.committed = queue.Queue()  # (number, place) of each write, for the checker
        self.write_times = []  # monotonic time of each committed write
        self.post_ms = []
        self.failed = []  # (status, body excerpt) of writes the server did not take
        self.checks = 0
        self.stale = []  # (port, write number, status) of answers without the write

    def writes_between(self, start, end):
        return sum(1 for t in self.write_times if start <= t <= end)

    def stop(self):
        self.halt.set()
        self.join(60)

    def run(self):
        checker = threading.Thread(target=self.check, daemon=True)
        checker.start()
        session = staff_session(self.port)
        token = session.csrf_token(REGISTER)
        number = 0
        began = time.monotonic()
        while not self.halt.is_set():
            number += 1
            place = marker(self.token, number)
            fields = {
                "csrfmiddlewaretoken": token,
                "commitment": self.commitment,
                "date": datetime.datetime.now(SERVER_ZONE).date().isoformat(),
                "quantity": "1",
                "place": place,
                "description": f"Skrivet av prestandatestet under läsning ({self.token}).",
            }
            posted = time.monotonic()
            try:
                status, _, body = session.request("POST", REGISTER, fields)
            except (http.client.HTTPException, OSError) as error:
                status, body = 0, str(error)
            # The "saved" message would pile up in the messages cookie: nobody reads it.
            session.jar = {k: v for k, v in session.jar.items() if "messages" not in k}
            if status != 302:
                if not self.failed:
                    log(f"writer: POST {REGISTER} answered {status}: {body[:300]!r}")
                self.failed.append(status)
                if status == 403:
                    token = session.csrf_token(REGISTER)
            else:
                self.write_times.append(time.monotonic())
                self.post_ms.append((self.write_times[-1] - posted) * 1000)
                self.committed.put((number, place))
            # On the clock, not after the checks: one write every `interval` seconds.
            self.halt.wait(max(0, began + number * self.interval - time.monotonic()))
        session.close()
        self.committed.put(None)
        checker.join(60)

    def check(self):
        """Reads every committed write back at once, anonymously, from every instance."""
        readers = {port: Session(port) for port in self.check_ports}
        while (write := self.committed.get()) is not None:
            number, place = write
            # Both copies a visitor can get: gzip-encoded (a browser) and uncompressed.
            for (port, reader), encoding in itertools.product(
                readers.items(), (BROWSER_ACCEPT_ENCODING, None)
            ):
                reader.jar.clear()  # an anonymous reader: the cached path
                try:
                    status, _, page = reader.request(
                        "GET", self.check_path, accept_encoding=encoding
                    )
                except (http.client.HTTPException, OSError):
                    status, page = 0, ""
                self.checks += 1
                if status != 200 or place not in page:
                    self.stale.append((port, number, status))
        for reader in readers.values():
            reader.close()
