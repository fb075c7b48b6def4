#!/usr/bin/python3
"""Print every message of a Maildir as one JSON object per line, parsed by Python's email package (policy.default).

Usage: read_maildir.py MAILDIR
Messages come from MAILDIR/new and MAILDIR/cur, oldest first (Maildir names start with the delivery time). Each line:
  {"file": name, "headers": [[name, value], ...] (decoded, in order), "subject", "from", "to": [addresses],
   "body": the first text/plain part (decoded; CRLF, text's canonical line end, as LF),
   "attachments": [{"name", "content_type", "base64"}]}
A header's value is as the parser decoded it (RFC 2047 encoded-words turned into text). Exits 2 on usage errors.
The SMTP test harness (tests/Psistats.TestSupport/SmtpServer.cs) runs it with Debian's /usr/bin/python3.
"""
import base64
import email
import email.policy
import json
import os
import sys


def message_files(maildir):
    files = []
    for sub in ("new", "cur"):
        folder = os.path.join(maildir, sub)
        for name in os.listdir(folder):
            path = os.path.join(folder, name)
            files.append((os.stat(path).st_mtime_ns, name, path))
    return [path for _, _, path in sorted(files)]


def describe(path):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    body_part = message.get_body(preferencelist=("plain",))
    attachments = []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True) or b""
        attachments.append({
            "name": part.get_filename(),
            "content_type": part.get_content_type(),
            "base64": base64.b64encode(content).decode("ascii"),
        })
    to_header = message.get("To")
    return {
        "file": os.path.basename(path),
        "headers": [[name, str(value)] for name, value in message.items()],
        "subject": str(message.get("Subject", "")),
        "from": str(message.get("From", "")),
        "to": [a.addr_spec for a in to_header.addresses] if to_header is not None else [],
        "body": body_part.get_content().replace("\r\n", "\n") if body_part is not None else "",
        "attachments": attachments,
    }


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path in message_files(sys.argv[1]):
        print(json.dumps(describe(path), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
