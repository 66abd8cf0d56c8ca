#!/usr/bin/env python3
"""Writes an mbox of N varied, real-looking bounce reports for the ingest benchmark (bench/scale.sh, `bench ingest --mbox`).

Every message is built from parts drawn at random (seeded, so a run is repeatable): the reporting MTA's style (Postfix, Exim,
Sendmail, qmail, Exchange/Office 365, Gmail, Yahoo, a gateway in front of a mailbox provider), the receiver and its reply
(codes and texts of the kinds mailbox providers send: unknown users, full mailboxes, blocklist and reputation refusals,
authentication failures, rate limits, deferrals), the recipient, the sending IP (from a pool in 198.18.0.0/15, the range the
bulk seeder uses), dates over the last 30 days, and multi-recipient reports. Usage: bounce-mbox.py N OUT.mbox [SEED] [IPS]
"""
import random
import sys
from datetime import datetime, timedelta, timezone

n = int(sys.argv[1])
out = sys.argv[2]
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 17)
ip_pool = int(sys.argv[4]) if len(sys.argv) > 4 else 10000

FIRST = ["anna", "ben", "chloe", "david", "emma", "felix", "grace", "hugo", "iris", "jack", "karin", "liam", "mia", "noah",
         "olga", "paul", "quinn", "rosa", "sam", "tara", "umar", "vera", "will", "xena", "yuki", "zoe"]
LAST = ["smith", "jones", "garcia", "muller", "rossi", "dubois", "kowalski", "nguyen", "tanaka", "silva", "novak", "berg"]
SENDER_DOMAINS = ["news.shop-example.com", "mail.example-bank.net", "updates.example.org", "info.travel-example.com",
                  "m.example-retail.de", "letters.example.fr"]

# (receiver domain, MX host, [(reply, enhanced status, hard?)])
RECEIVERS = [
    ("gmail.com", "gmail-smtp-in.l.google.com", [
        ("550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address for typos or unnecessary spaces. Learn more at https://support.google.com/mail/?p=NoSuchUser {id} - gsmtp", "5.1.1", True),
        ("421-4.7.28 Gmail has detected an unusual rate of unsolicited mail originating from your IP address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited. {id} - gsmtp", "4.7.28", False),
        ("550-5.7.26 Unauthenticated email from {sdomain} is not accepted due to domain's DMARC policy. Please contact the administrator of {sdomain} domain. {id} - gsmtp", "5.7.26", True),
        ("552-5.2.2 The recipient's inbox is out of storage space. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm {id} - gsmtp", "5.2.2", True),
    ]),
    ("outlook.com", "outlook-com.olc.protection.outlook.com", [
        ("550 5.7.1 Unfortunately, messages from [{ip}] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [{mx}]", "5.7.1", True),
        ("550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [{mx}]", "5.5.0", True),
        ("451 4.7.650 The mail server [{ip}] has been temporarily rate limited due to IP reputation. For e-mail delivery information, see https://postmaster.live.com (S775) [{mx}]", "4.7.650", False),
        ("550 5.7.509 Access denied, sending domain {sdomain} does not pass DMARC verification and has a DMARC policy of reject. [{mx}]", "5.7.509", True),
    ]),
    ("yahoo.com", "mta7.am0.yahoodns.net", [
        ("554 5.7.9 Message not accepted for policy reasons.  See https://senders.yahooinc.com/error-codes", "5.7.9", True),
        ("421 4.7.0 [TSS04] Messages from {ip} temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://senders.yahooinc.com/error-codes", "4.7.0", False),
        ("554 delivery error: dd This user doesn't have a yahoo.com account ({rcpt}) [0] - mta1003.mail.ne1.yahoo.com", "5.0.0", True),
    ]),
    ("gmx.de", "mx00.emig.gmx.net", [
        ("550 Requested action not taken: mailbox unavailable", "5.0.0", True),
        ("554-gmx.net (mxgmx117) Nemesis ESMTP Service not available 554-No SMTP service 554-IP address is black listed. 554 For explanation visit https://postmaster.gmx.net/en/case?c=r0301&i=ip&v={ip}&r={id}", "5.0.0", True),
    ]),
    ("orange.fr", "smtp-in.orange.fr", [
        ("550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown", "5.1.1", True),
        ("421 mwinf5c12 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR_999 [{n}]", "4.0.0", False),
    ]),
    ("comcast.net", "mx1a1.comcast.net", [
        ("554 5.7.1 resimta-po-{n}c.sys.comcast.net Comcast block for spam.  Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000", "5.7.1", True),
        ("550 5.1.1 <{rcpt}> Not our Customer", "5.1.1", True),
    ]),
    ("example-corp.com", "eu-smtp-inbound-1.mimecast.com", [
        ("550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [{id}.{n}]", "5.0.0", True),
        ("550 Rejected by header based Anti-Spoofing policy: {rcpt} - https://community.mimecast.com/docs/DOC-1369#550 [{id}]", "5.7.1", True),
    ]),
    ("example-firm.co.uk", "mx0a-0012.pphosted.com", [
        ("550 5.7.1 Mail from {ip} refused by Spamhaus (https://www.spamhaus.org/query/ip/{ip})", "5.7.1", True),
        ("452 4.2.2 Mailbox full", "4.2.2", False),
    ]),
    ("t-online.de", "mx00.t-online.de", [
        ("554 IP={ip} - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)", "5.0.0", True),
    ]),
]

def address():
    r = rng.random()
    name = rng.choice(FIRST) + rng.choice([".", "_", ""]) + rng.choice(LAST) + (str(rng.randint(1, 999)) if r < 0.4 else "")
    return name

def fill(text, **k):
    for key, value in k.items():
        text = text.replace("{" + key + "}", value)
    return text

def when(base):
    return base - timedelta(seconds=rng.randint(0, 30 * 86400))

def rfc(dt):
    return dt.strftime("%a, %d %b %Y %H:%M:%S +0000")

def postfix(ctx):
    host = ctx["host"]
    lines = [f"From: MAILER-DAEMON@{host} (Mail Delivery System)", f"To: bounces+{ctx['token']}@{ctx['sdomain']}",
             f"Subject: Undelivered Mail Returned to Sender", f"Date: {rfc(ctx['date'])}", "MIME-Version: 1.0",
             f"Message-Id: <{ctx['id']}.{ctx['n']}@{host}>",
             f'Content-Type: multipart/report; report-type=delivery-status; boundary="{ctx["b"]}"', "", f"--{ctx['b']}",
             "Content-Description: Notification", "Content-Type: text/plain; charset=us-ascii", "",
             f"This is the mail system at host {host}.", "", "I'm sorry to have to inform you that your message could not",
             "be delivered to one or more recipients. It's attached below.", ""]
    for r, reply, status, _ in ctx["rcpts"]:
        lines += [f"<{r}>: host {ctx['mx']}[{ctx['mxip']}] said: {reply} (in reply to RCPT TO command)", ""]
    lines += [f"--{ctx['b']}", "Content-Description: Delivery report", "Content-Type: message/delivery-status", "",
              f"Reporting-MTA: dns; {host}", f"X-Postfix-Queue-ID: {ctx['queue']}", f"X-Postfix-Sender: rfc822; bounces+{ctx['token']}@{ctx['sdomain']}",
              f"Arrival-Date: {rfc(ctx['date'] - timedelta(minutes=rng.randint(0, 90)))}"]
    for r, reply, status, hard in ctx["rcpts"]:
        lines += ["", f"Final-Recipient: rfc822; {r}", f"Original-Recipient: rfc822;{r}", f"Action: {'failed' if hard else 'delayed'}",
                  f"Status: {status}", f"Remote-MTA: dns; {ctx['mx']}", f"Diagnostic-Code: smtp; {reply}"]
    lines += ["", f"--{ctx['b']}", "Content-Description: Undelivered Message Headers", "Content-Type: text/rfc822-headers", ""] + original(ctx) + ["", f"--{ctx['b']}--"]
    return lines

def exim(ctx):
    host = ctx["host"]
    lines = [f"From: Mail Delivery System <Mailer-Daemon@{host}>", f"To: bounces@{ctx['sdomain']}",
             "Subject: Mail delivery failed: returning message to sender", f"Date: {rfc(ctx['date'])}",
             f"Message-Id: <E1{ctx['queue']}-{ctx['n']}@{host}>", "Auto-Submitted: auto-replied", "",
             "This message was created automatically by mail delivery software.", "",
             "A message that you sent could not be delivered to one or more of its", "recipients. This is a permanent error. The following address(es) failed:", ""]
    for r, reply, status, _ in ctx["rcpts"]:
        lines += [f"  {r}", f"    host {ctx['mx']} [{ctx['mxip']}]", f"    SMTP error from remote mail server after RCPT TO:<{r}>:", f"    {reply}", ""]
    lines += ["------ This is a copy of the message, including all the headers. ------", ""] + original(ctx) + ["", "Hello, this is the newsletter."]
    return lines

def sendmail(ctx):
    host = ctx["host"]
    lines = [f"From: Mail Delivery Subsystem <MAILER-DAEMON@{host}>", f"To: <bounces@{ctx['sdomain']}>",
             "Subject: Returned mail: see transcript for details", f"Date: {rfc(ctx['date'])}", "MIME-Version: 1.0",
             f'Content-Type: multipart/report; report-type=delivery-status; boundary="{ctx["b"]}"', "Auto-Submitted: auto-generated (failure)", "",
             "This is a MIME-encapsulated message", "", f"--{ctx['b']}", "", f"The original message was received at {rfc(ctx['date'])}",
             f"from [{ctx['ip']}]", "", "   ----- The following addresses had permanent fatal errors -----"]
    for r, reply, status, _ in ctx["rcpts"]:
        lines += [f"<{r}>", f"    (reason: {reply.split(' ', 1)[0]} {status})", "", "   ----- Transcript of session follows -----",
                  f"... while talking to {ctx['mx']}.:", f">>> RCPT To:<{r}>", f"<<< {reply}"]
    lines += ["", f"--{ctx['b']}", "Content-Type: message/delivery-status", "", f"Reporting-MTA: dns; {host}",
              f"Received-From-MTA: DNS; [{ctx['ip']}]", f"Arrival-Date: {rfc(ctx['date'])}"]
    for r, reply, status, hard in ctx["rcpts"]:
        lines += ["", f"Final-Recipient: RFC822; {r}", f"Action: {'failed' if hard else 'delayed'}", f"Status: {status}",
                  f"Remote-MTA: DNS; {ctx['mx']}", f"Diagnostic-Code: SMTP; {reply}", f"Last-Attempt-Date: {rfc(ctx['date'])}"]
    lines += ["", f"--{ctx['b']}", "Content-Type: message/rfc822", ""] + original(ctx) + ["", "Body", f"--{ctx['b']}--"]
    return lines

def qmail(ctx):
    host = ctx["host"]
    lines = [f"From: MAILER-DAEMON@{host}", f"To: bounces@{ctx['sdomain']}", "Subject: failure notice", f"Date: {rfc(ctx['date'])}",
             f"Message-ID: <{ctx['n']}.qmail@{host}>", "", f"Hi. This is the qmail-send program at {host}.",
             "I'm afraid I wasn't able to deliver your message to the following addresses.", "This is a permanent error; I've given up. Sorry it didn't work out.", ""]
    for r, reply, status, _ in ctx["rcpts"]:
        lines += [f"<{r}>:", f"{ctx['mxip']} does not like recipient.", f"Remote host said: {reply}", "Giving up on " + ctx["mxip"] + ".", ""]
    lines += ["--- Below this line is a copy of the message.", ""] + original(ctx)
    return lines

def exchange(ctx):
    host = ctx["host"]
    lines = [f"From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@{ctx['sdomain']}>", f"To: <bounces@{ctx['sdomain']}>",
             "Subject: Undeliverable: " + ctx["subject"], f"Date: {rfc(ctx['date'])}", "MIME-Version: 1.0",
             f'Content-Type: multipart/report; report-type=delivery-status; boundary="{ctx["b"]}"', "X-MS-Exchange-Message-Is-Ndr:", "",
             f"--{ctx['b']}", "Content-Type: text/plain; charset=us-ascii", "", "Delivery has failed to these recipients or groups:", ""]
    for r, reply, status, _ in ctx["rcpts"]:
        lines += [r, "The email address you entered couldn't be found.", ""]
    lines += ["Diagnostic information for administrators:", "", f"Generating server: {host}", ""]
    for r, reply, status, _ in ctx["rcpts"]:
        lines += [r, f"Remote Server returned '{reply}'", ""]
    lines += [f"--{ctx['b']}", "Content-Type: message/delivery-status", "", f"Reporting-MTA: dns;{host}",
              f"Received-From-MTA: dns;{host}", f"Arrival-Date: {rfc(ctx['date'])}"]
    for r, reply, status, hard in ctx["rcpts"]:
        lines += ["", f"Final-Recipient: rfc822;{r}", f"Action: {'failed' if hard else 'delayed'}", f"Status: {status}",
                  f"Remote-MTA: dns;{ctx['mx']}", f"Diagnostic-Code: smtp;{reply}", f"X-Display-Name: {r.split('@')[0]}"]
    lines += ["", f"--{ctx['b']}", "Content-Type: text/rfc822-headers", ""] + original(ctx) + ["", f"--{ctx['b']}--"]
    return lines

STYLES = [(postfix, 40), (exim, 20), (sendmail, 10), (qmail, 5), (exchange, 25)]
STYLE_CHOICES = [s for s, w in STYLES for _ in range(w)]

def original(ctx):
    return [f"Received: from app{rng.randint(1, 20)}.internal ([{ctx['ip']}]) by {ctx['host']} with ESMTPSA id {ctx['queue']}",
            f"From: \"Newsletter\" <news@{ctx['sdomain']}>", f"To: {ctx['rcpts'][0][0]}", f"Subject: {ctx['subject']}",
            f"Date: {rfc(ctx['date'] - timedelta(minutes=5))}", f"Message-ID: <{ctx['token']}@{ctx['sdomain']}>",
            f"DKIM-Signature: v=1; a=rsa-sha256; d={ctx['sdomain']}; s=s{rng.randint(1, 3)}; h=from:to:subject; bh=abc=; b=def="]

SUBJECTS = ["Your weekly digest", "Order {n} has shipped", "Last chance: 20% off", "Your statement is ready", "Welcome aboard",
            "Reset your password", "Ihre Rechnung {n}", "Votre commande {n}"]

base = datetime.now(timezone.utc).replace(microsecond=0)
with open(out, "w", encoding="utf-8", newline="\n") as f:
    for i in range(n):
        receiver, mx, replies = rng.choice(RECEIVERS)
        sdomain = rng.choice(SENDER_DOMAINS)
        ipn = rng.randrange(ip_pool)
        ip = f"198.{18 + ipn // 65536}.{(ipn // 256) % 256}.{ipn % 256}"
        date = when(base)
        token = f"{i:x}{rng.getrandbits(40):x}"
        rcpts = []
        for _ in range(1 if rng.random() < 0.85 else rng.randint(2, 4)):
            rcpt = address() + "@" + receiver
            reply, status, hard = rng.choice(replies)
            reply = fill(reply, ip=ip, mx=mx, rcpt=rcpt, sdomain=sdomain, id=f"{rng.getrandbits(48):x}", n=str(rng.randint(1000, 99999)))
            rcpts.append((rcpt, reply, status, hard))
        ctx = {"host": f"mta{rng.randint(1, 12)}.{sdomain}", "mx": mx, "mxip": f"203.0.113.{rng.randint(1, 254)}", "ip": ip,
               "sdomain": sdomain, "date": date, "token": token, "n": str(i), "queue": f"{rng.getrandbits(40):X}",
               "b": f"{rng.getrandbits(64):x}/{sdomain}", "rcpts": rcpts, "id": f"{rng.getrandbits(32):x}",
               "subject": fill(rng.choice(SUBJECTS), n=str(rng.randint(10000, 99999)))}
        body = rng.choice(STYLE_CHOICES)(ctx)
        f.write(f"From MAILER-DAEMON {date.strftime('%a %b %d %H:%M:%S %Y')}\n")
        for line in body:
            f.write((">" + line if line.startswith("From ") else line) + "\n")
        f.write("\n")
