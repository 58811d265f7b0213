"""The mail client of scripts/going-live: sends an RFQ, lists a mailbox, answers a message in
its thread, against the trial mail server (or any IMAP/SMTP server with STARTTLS and a
password). Python's standard library only.

    going-live-mail.py send FILE|- --from ADDR --to ADDR [--subject S] [--body TEXT]
    going-live-mail.py inbox ADDR [--wait TEXT] [--timeout S] [--show N]
    going-live-mail.py reply ADDR TEXT [--match TEXT]

Server settings from the environment: TRIAL_HOST (localhost), TRIAL_IMAP_PORT,
TRIAL_SMTP_PORT, TRIAL_CA (the CA file), TRIAL_MAIL_PASSWORD (every address's password).
"""

import argparse
import email
import email.policy
import email.utils
import imaplib
import mimetypes
import os
import smtplib
import ssl
import sys
import time
from email.message import EmailMessage
from pathlib import Path

HOST = os.environ.get("TRIAL_HOST", "localhost")
IMAP_PORT = int(os.environ.get("TRIAL_IMAP_PORT", "143"))
SMTP_PORT = int(os.environ.get("TRIAL_SMTP_PORT", "587"))
CA = os.environ.get("TRIAL_CA") or None
PASSWORD = os.environ.get("TRIAL_MAIL_PASSWORD", "horme-trial")


def tls():
    return ssl.create_default_context(cafile=CA)


def submit(msg, login):
    with smtplib.SMTP(HOST, SMTP_PORT, timeout=30) as s:
        s.starttls(context=tls())
        s.login(login, PASSWORD)
        s.send_message(msg)


def fetch_all(address):
    """Every message in ADDRESS's INBOX, oldest first, without marking anything read."""
    m = imaplib.IMAP4(HOST, IMAP_PORT, timeout=30)
    try:
        m.starttls(ssl_context=tls())
        m.login(address, PASSWORD)
        m.select("INBOX", readonly=True)
        _, data = m.search(None, "ALL")
        out = []
        for num in data[0].split():
            _, parts = m.fetch(num, "(BODY.PEEK[])")
            out.append(email.message_from_bytes(parts[0][1], policy=email.policy.default))
        return out
    finally:
        try:
            m.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def attachments(msg):
    return [p.get_filename() for p in msg.iter_attachments() if p.get_filename()]


def text_of(msg):
    part = msg.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part else ""


def send(a):
    msg = EmailMessage()
    msg["From"] = a.sender
    msg["To"] = a.to
    msg["Date"] = email.utils.formatdate(localtime=True)
    msg["Message-ID"] = email.utils.make_msgid(domain=a.sender.rpartition("@")[2] or "localhost")
    if a.file == "-":
        msg["Subject"] = a.subject or "Request for quotation"
        msg.set_content(sys.stdin.read())
    else:
        path = Path(a.file)
        msg["Subject"] = a.subject or f"Request for quotation: {path.name}"
        msg.set_content(a.body or "Dear Sales,\n\nplease quote the items in the attached file.\n\nBest regards\n")
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, sub = ctype.split("/", 1)
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    submit(msg, a.sender)
    print(f"sent {msg['Subject']!r} from {a.sender} to {a.to} ({msg['Message-ID']})")


def haystack(m):
    return " ".join([str(m["Subject"]), *attachments(m), text_of(m)]).lower()


def inbox(a):
    deadline = time.monotonic() + a.timeout
    while True:
        msgs = fetch_all(a.address)
        if not a.wait or any(a.wait.lower() in haystack(m) for m in msgs):
            break
        if time.monotonic() > deadline:
            print(f"no message with {a.wait!r} in its subject, attachments or text reached {a.address} within {a.timeout} s", file=sys.stderr)
            sys.exit(1)
        time.sleep(1)
    print(f"{a.address}: {len(msgs)} message(s)")
    for i, m in enumerate(msgs, 1):
        files = attachments(m)
        print(f"{i:3}. {m['Date']}  from {m['From']}")
        print(f"     Subject: {m['Subject']}")
        if files:
            print(f"     Attached: {', '.join(files)}")
    for m in msgs[-a.show:] if a.show else []:
        print(f"\n--- {m['Subject']} ---")
        print(text_of(m).strip())


def reply(a):
    msgs = [m for m in fetch_all(a.address) if not a.match or a.match.lower() in str(m["Subject"]).lower()]
    if not msgs:
        sys.exit(f"no message{' with ' + repr(a.match) if a.match else ''} in {a.address}'s mailbox to answer")
    orig = msgs[-1]
    to = orig["Reply-To"] or orig["From"]
    subject = str(orig["Subject"])
    msg = EmailMessage()
    msg["From"] = a.address
    msg["To"] = to
    msg["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
    msg["Date"] = email.utils.formatdate(localtime=True)
    msg["Message-ID"] = email.utils.make_msgid(domain=a.address.rpartition("@")[2] or "localhost")
    if orig["Message-ID"]:
        msg["In-Reply-To"] = orig["Message-ID"]
        msg["References"] = " ".join(filter(None, [orig["References"], orig["Message-ID"]]))
    quoted = "\n".join("> " + line for line in text_of(orig).strip().splitlines())
    msg.set_content(f"{a.text}\n\nOn {orig['Date']}, {orig['From']} wrote:\n{quoted}\n")
    submit(msg, a.address)
    print(f"answered {subject!r} with {a.text!r}: from {a.address} to {to}")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("file")
    s.add_argument("--from", dest="sender", required=True)
    s.add_argument("--to", required=True)
    s.add_argument("--subject")
    s.add_argument("--body")
    i = sub.add_parser("inbox")
    i.add_argument("address")
    i.add_argument("--wait", help="wait until a message with this in its subject, attachments or text is there")
    i.add_argument("--timeout", type=int, default=120)
    i.add_argument("--show", type=int, default=0, help="print the text of the last N messages")
    r = sub.add_parser("reply")
    r.add_argument("address")
    r.add_argument("text")
    r.add_argument("--match", help="answer the newest message with this in its subject")
    a = p.parse_args()
    {"send": send, "inbox": inbox, "reply": reply}[a.cmd](a)


if __name__ == "__main__":
    main()
