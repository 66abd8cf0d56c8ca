using System.Text;

namespace Deliverability.Core.Tests.Bounces;

/// <summary>
/// A minimal RFC 3464 report for one recipient, written here: the receiver's reply alone decides, so a test can hold
/// one line per receiver or rule instead of a whole file.
/// </summary>
internal static class ShortDsn
{
    public static byte[] Build(string recipient, string? remoteMta, string status, string diagnostic, string action = "failed")
    {
        var remote = remoteMta is null ? string.Empty : $"Remote-MTA: dns; {remoteMta}\n";
        var text = $"""
            Return-Path: <>
            Date: Wed, 11 Mar 2026 10:00:00 +0000
            From: MAILER-DAEMON@mx1.example.com (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: news@example.com
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b1"
            Message-Id: <short-dsn@mx1.example.com>

            --b1
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host mx1.example.com.

            --b1
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx1.example.com

            Final-Recipient: rfc822; {recipient}
            Action: {action}
            Status: {status}
            {remote}Diagnostic-Code: smtp; {diagnostic}

            --b1
            Content-Type: text/rfc822-headers

            Message-ID: <original@example.com>
            From: news@example.com
            To: {recipient}
            Subject: Hello

            --b1--

            """;
        return Encoding.UTF8.GetBytes(text);
    }
}
