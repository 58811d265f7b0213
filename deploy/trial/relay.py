#!/usr/bin/python3
"""The SMTP side of the trial mail server (deploy/trial/mail-servers): accepts mail for any
address and delivers it over LMTP into the trial Dovecot, one mailbox per recipient, so that
the customer, the approver and the bot each find their mail over IMAP. STARTTLS is offered
(the bot insists on it for a host that is not loopback) but not required, so that swaks or a
mail client can send without it; AUTH is accepted with the trial password, never required.
With --copy-to HOST:PORT every message is also handed to a mail catcher (Mailpit) to read in
a browser; a catcher that is away costs nothing but the copy.

A trial tool only: it relays nothing to the outside world.
"""

import argparse
import asyncio
import logging
import signal
import smtplib
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

log = logging.getLogger("trial-relay")


class Relay:
    def __init__(self, lmtp_port, copy_to):
        self.lmtp_port = lmtp_port
        self.copy_to = copy_to

    def deliver(self, envelope):
        with smtplib.LMTP("127.0.0.1", self.lmtp_port, timeout=30) as lmtp:
            refused = lmtp.sendmail(envelope.mail_from, envelope.rcpt_tos, envelope.original_content)
        if self.copy_to:
            host, _, port = self.copy_to.rpartition(":")
            try:
                with smtplib.SMTP(host, int(port), timeout=10) as catcher:
                    catcher.sendmail(envelope.mail_from, envelope.rcpt_tos, envelope.original_content)
            except (OSError, smtplib.SMTPException) as e:
                log.warning("no copy to %s: %s", self.copy_to, e)
        return refused

    async def handle_DATA(self, server, session, envelope):
        loop = asyncio.get_running_loop()
        try:
            refused = await loop.run_in_executor(None, self.deliver, envelope)
        except smtplib.SMTPRecipientsRefused as e:
            code, msg = next(iter(e.recipients.values()))
            return f"{code} {msg.decode(errors='replace')}"
        except (OSError, smtplib.SMTPException) as e:
            return f"451 4.3.0 local delivery failed: {e}"
        if refused:
            code, msg = next(iter(refused.values()))
            return f"{code} {msg.decode(errors='replace')}"
        log.info("delivered %s -> %s", envelope.mail_from, ", ".join(envelope.rcpt_tos))
        return "250 2.0.0 delivered"


class TrialPassword:
    """Any user name with the trial password."""

    def __init__(self, password):
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == self.password
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--lmtp-port", type=int, required=True)
    p.add_argument("--tls-cert", required=True)
    p.add_argument("--tls-key", required=True)
    p.add_argument("--password-file", required=True)
    p.add_argument("--copy-to", default="")
    a = p.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per command
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(a.tls_cert, a.tls_key)
    with open(a.password_file) as f:
        password = f.read().strip()
    controller = Controller(
        Relay(a.lmtp_port, a.copy_to),
        hostname=a.listen,
        port=a.port,
        server_hostname="trial-mail",
        data_size_limit=64 << 20,
        tls_context=context,
        authenticator=TrialPassword(password),
        auth_required=False,
        auth_require_tls=True,
    )
    controller.start()
    log.info("SMTP on %s:%d (STARTTLS offered), delivering over LMTP to 127.0.0.1:%d", a.listen, a.port, a.lmtp_port)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
