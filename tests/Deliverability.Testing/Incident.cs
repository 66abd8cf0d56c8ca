using System.Globalization;
using System.Text;

namespace Deliverability.Testing;

/// <summary>
/// An incident as a mail operator would hand it over: the Postfix log of the sending host (cleanup, qmgr, smtp and
/// submission lines as Postfix writes them) and the DSNs that came back, written to a directory for `deliverability ingest`.
/// </summary>
public sealed class Incident
{
    public const string Ip = "203.0.113.9";

    private readonly StringBuilder _log = new();
    private readonly List<string> _dsns = [];
    private int _queue = 0x1A2B00;

    public static readonly string OutlookRelay = "outlook-com.olc.protection.outlook.com[52.101.68.16]";
    public static readonly string GmailRelay = "gmail-smtp-in.l.google.com[142.250.102.27]";
    public static readonly string OtherRelay = "mx1.example.org[192.0.2.25]";

    public const string S3150 = "550 5.7.1 Unfortunately, messages from [203.0.113.9] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150). You can also refer your provider to http://mail.live.com/mail/troubleshooting.aspx#errors. [Name=Protocol Filter Agent][AGT=PFA][MxId=11BB0FA5E1A3B2C4]";

    /// <summary>Queue ids, in order, of the messages written so far.</summary>
    public List<string> QueueIds { get; } = [];

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);

    private static string Relay(string recipient) =>
        recipient.EndsWith("@gmail.com", StringComparison.Ordinal) ? GmailRelay
        : recipient.EndsWith("@outlook.com", StringComparison.Ordinal) || recipient.EndsWith("@hotmail.com", StringComparison.Ordinal) ? OutlookRelay
        : OtherRelay;

    /// <summary>One message to one recipient: queued (optionally submitted by a SASL user), then one line per attempt.</summary>
    public string Message(DateTimeOffset at, string recipient, string? user = null, params (TimeSpan After, string Status, string Dsn, string Reply)[] attempts)
    {
        var q = (_queue++).ToString("X10", CultureInfo.InvariantCulture);
        QueueIds.Add(q);
        if (user is not null)
        {
            _log.Append(CultureInfo.InvariantCulture, $"{Time(at)} mx1 postfix/submission/smtpd[3001]: {q}: client=pc7.example.com[192.0.2.50], sasl_method=PLAIN, sasl_username={user}\n");
        }

        _log.Append(CultureInfo.InvariantCulture, $"{Time(at)} mx1 postfix/cleanup[3002]: {q}: message-id=<{q}@example.com>\n");
        _log.Append(CultureInfo.InvariantCulture, $"{Time(at)} mx1 postfix/qmgr[3003]: {q}: from=<news@example.com>, size=4096, nrcpt=1 (queue active)\n");
        var relay = Relay(recipient);
        foreach (var (after, status, dsn, reply) in attempts.Length == 0 ? [(TimeSpan.FromSeconds(1), "sent", "2.0.0", "250 2.0.0 OK")] : attempts)
        {
            var text = status == "sent" ? $"{reply}" : $"host {relay} said: {reply} (in reply to RCPT TO command)";
            _log.Append(CultureInfo.InvariantCulture, $"{Time(at + after)} mx1 postfix/smtp[3004]: {q}: to=<{recipient}>, relay={relay}:25, delay=1.1, delays=0.1/0/0.4/0.6, dsn={dsn}, status={status} ({text})\n");
        }

        _log.Append(CultureInfo.InvariantCulture, $"{Time(at + attempts.Select(a => a.After).DefaultIfEmpty(TimeSpan.FromSeconds(1)).Max() + TimeSpan.FromSeconds(1))} mx1 postfix/qmgr[3003]: {q}: removed\n");
        return q;
    }

    public void Sent(DateTimeOffset at, string recipient, string? user = null) => Message(at, recipient, user);

    public string Refused(DateTimeOffset at, string recipient, string dsn, string reply, string? user = null) =>
        Message(at, recipient, user, (TimeSpan.FromSeconds(1), "bounced", dsn, reply));

    /// <summary>A DSN as Postfix writes it: its own Date is the refusal; Arrival-Date is when the message was queued.</summary>
    public void Dsn(DateTimeOffset date, DateTimeOffset arrival, string recipient, string status, string diagnostic, string? queueId = null)
    {
        var d = date.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var a = arrival.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var q = queueId ?? $"DSN{_dsns.Count:X6}";
        var remote = Relay(recipient);
        _dsns.Add($"""
            Return-Path: <>
            Date: {d}
            From: MAILER-DAEMON@mx1.example.com (Mail Delivery System)
            Subject: Undelivered Mail Returned to Sender
            To: news@example.com
            Auto-Submitted: auto-replied
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b-{q}"
            Message-Id: <dsn-{q}-{Guid.NewGuid():N}@mx1.example.com>

            --b-{q}
            Content-Type: text/plain; charset=us-ascii

            This is the mail system at host mx1.example.com.

            <{recipient}>: host {remote} said: {diagnostic} (in reply to RCPT TO command)

            --b-{q}
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx1.example.com
            X-Postfix-Queue-ID: {q}
            Arrival-Date: {a}

            Final-Recipient: rfc822; {recipient}
            Action: failed
            Status: {status}
            Remote-MTA: dns; {remote[..remote.IndexOf('[', StringComparison.Ordinal)]}
            Diagnostic-Code: smtp; {diagnostic}

            --b-{q}
            Content-Type: text/rfc822-headers

            From: Example News <news@example.com>
            To: <{recipient}>
            Subject: News
            Message-ID: <{q}@example.com>
            Date: {a}

            --b-{q}--

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    public void WriteTo(string directory)
    {
        if (_log.Length > 0) File.WriteAllText(Path.Combine(directory, "maillog"), _log.ToString());
        for (var i = 0; i < _dsns.Count; i++) File.WriteAllText(Path.Combine(directory, $"dsn-{i}.eml"), _dsns[i]);
    }
}
