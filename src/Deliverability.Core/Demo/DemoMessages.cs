using System.Globalization;
using System.Text;

namespace Deliverability.Core.Demo;

/// <summary>The demo's evidence as the files an operator would upload: DSN bounces, ARF complaints, a Postfix log, an SNDS export.</summary>
internal static class DemoMessages
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public sealed record BounceSpec(DateTimeOffset At, string Recipient, string RemoteMta, string Status, string Reply);

    public static string Dsn(BounceSpec b, string sender, string reportingMta, int serial)
    {
        var date = b.At.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", Invariant);
        var boundary = $"demo-{serial}/{reportingMta}";
        var domain = sender[(sender.IndexOf('@', StringComparison.Ordinal) + 1)..];
        return $"""
            Return-Path: <>
            Date: {date}
            From: MAILER-DAEMON@{reportingMta} (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: {sender}
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"
            Message-Id: <demo-dsn-{serial}@{reportingMta}>

            --{boundary}
            Content-Description: Notification
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host {reportingMta} (DEMO DATA).

            <{b.Recipient}>: host {b.RemoteMta} said: {b.Reply}

            --{boundary}
            Content-Description: Delivery report
            Content-Type: message/delivery-status

            Reporting-MTA: dns; {reportingMta}
            Arrival-Date: {date}

            Final-Recipient: rfc822; {b.Recipient}
            Action: failed
            Status: {b.Status}
            Remote-MTA: dns; {b.RemoteMta}
            Diagnostic-Code: smtp; {b.Reply}

            --{boundary}
            Content-Description: Undelivered Message Headers
            Content-Type: text/rfc822-headers

            Return-Path: <{sender}>
            DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=demo2026; h=From:To:Subject; bh=ZGVtbw==; b=ZGVtbw==
            From: Demo Sender <{sender}>
            To: <{b.Recipient}>
            Subject: Demo newsletter
            Message-ID: <demo-{serial}@{domain}>
            Date: {date}

            --{boundary}--

            """.ReplaceLineEndings("\r\n");
    }

    public static string Arf(DateTimeOffset at, string sourceIp, string sender, string recipient, int serial)
    {
        var date = at.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", Invariant);
        var domain = sender[(sender.IndexOf('@', StringComparison.Ordinal) + 1)..];
        return $"""
            From: Outlook JMRP <staff@hotmail.com>
            To: abuse@{domain}
            Subject: complaint about message from {sourceIp}
            Date: {date}
            MIME-Version: 1.0
            Message-ID: <demo-arf-{serial}@jmrp.example>
            Content-Type: multipart/report; report-type=feedback-report; boundary="arf-{serial}"

            --arf-{serial}
            Content-Type: text/plain; charset="US-ASCII"

            This is a demo complaint report for a message received from IP {sourceIp}.

            --arf-{serial}
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: DemoJMRP/1.0
            Version: 1
            Original-Mail-From: <{sender}>
            Original-Rcpt-To: <{recipient}>
            Arrival-Date: {date}
            Source-IP: {sourceIp}

            --arf-{serial}
            Content-Type: message/rfc822

            Received: from demo ([{sourceIp}]) by mx.hotmail.com; {date}
            From: Demo Sender <{sender}>
            To: {recipient}
            Subject: Demo newsletter
            Message-ID: <demo-c-{serial}@{domain}>
            Date: {date}

            Hello.

            --arf-{serial}--

            """.ReplaceLineEndings("\r\n");
    }

    /// <summary>An mbox: each message after a "From " line, with body lines starting "From " quoted.</summary>
    public static byte[] Mbox(IEnumerable<(DateTimeOffset At, string Message)> messages)
    {
        var text = new StringBuilder();
        foreach (var (at, message) in messages)
        {
            text.Append("From MAILER-DAEMON ").Append(at.ToString("ddd MMM d HH:mm:ss yyyy", Invariant)).Append('\n');
            foreach (var line in message.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
            {
                text.Append(line.StartsWith("From ", StringComparison.Ordinal) ? ">" + line : line).Append('\n');
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
