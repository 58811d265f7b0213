#!/usr/bin/python3
"""A loopback SMTP server for the mail tests: accepts what the bot sends and delivers it
through LMTP into the loopback Dovecot, so that tests read the bot's replies over IMAP.
With --tls-cert/--tls-key it offers STARTTLS on --listen-port and implicit TLS on
--smtps-port.

Run by scripts/mail-servers with Debian's /usr/bin/python3 and python3-aiosmtpd. Every
accepted message is also kept as an .eml file under --spool (for debugging a failed test).
"""

import argparse
import asyncio
import signal
import smtplib
import ssl
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class LmtpRelay:
    def __init__(self, lmtp_host, lmtp_port, spool):
        self.lmtp_host = lmtp_host
        self.lmtp_port = lmtp_port
        self.spool = spool

    def deliver(self, envelope):
        with smtplib.LMTP(self.lmtp_host, self.lmtp_port, timeout=30) as lmtp:
            return lmtp.sendmail(envelope.mail_from, envelope.rcpt_tos, envelope.original_content)

    async def handle_DATA(self, server, session, envelope):
        if self.spool is not None:
            name = f"{time.time():.6f}-{uuid.uuid4().hex[:8]}.eml"
            (self.spool / name).write_bytes(envelope.original_content)
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
        return "250 2.0.0 delivered"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--listen-port", type=int, required=True)
    p.add_argument("--lmtp-port", type=int, required=True)
    p.add_argument("--spool", type=Path)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--smtps-port", type=int)
    a = p.parse_args()
    if a.spool:
        a.spool.mkdir(parents=True, exist_ok=True)
    handler = LmtpRelay("127.0.0.1", a.lmtp_port, a.spool)
    context = None
    if a.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.tls_cert, a.tls_key)
    controllers = [
        Controller(handler, hostname="127.0.0.1", port=a.listen_port, data_size_limit=64 << 20, tls_context=context)
    ]
    if context and a.smtps_port:
        controllers.append(
            Controller(handler, hostname="127.0.0.1", port=a.smtps_port, data_size_limit=64 << 20, ssl_context=context)
        )
    for c in controllers:
        c.start()
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    for c in controllers:
        c.stop()


if __name__ == "__main__":
    main()
