using System.Buffers;
namespace Deliverability.Core.Providers;

/// <summary>Whether a receiver hosts mailboxes or filters mail in front of someone else's mailboxes.</summary>
public enum ReceiverKind
{
    MailboxProvider,
    SecurityGateway,
}

/// <summary>
/// A text a receiver documents or is observed to write, and the reason it means there. Matched lower-cased against the
/// remote reply; <see cref="ReplyCode"/> and <see cref="Command"/>, when set, must agree too. With
/// <see cref="OnlyWithGenericStatus"/> the phrase applies only when the status is absent or X.0.0: a precise status wins.
/// </summary>
public sealed record ReceiverPhrase(string Text, string Reason, int? ReplyCode = null, string? Command = null, bool OnlyWithGenericStatus = false);

/// <summary>
/// One receiving system: how to recognise it (MX/host names, the recipient domains it hosts, markers in its replies)
/// and the texts it writes with the reason each means. Its codes (with meaning, cause and way out) are in
/// <see cref="ProviderCodeCatalog"/> under the same <see cref="Key"/>. <see cref="NoticeHeadlines"/> are sentences the
/// receiver's own bounce writes once, above the list of recipients, to say why all of them failed; they are read in the
/// bounce's text, not in a recipient's reply, and say more than the SMTP reply quoted under them.
/// </summary>
public sealed record Receiver(
    string Key,
    string Name,
    ReceiverKind Kind,
    string[] HostSuffixes,
    string[] Domains,
    string[] TextMarkers,
    ReceiverPhrase[] Phrases,
    string Source,
    ReceiverPhrase[]? NoticeHeadlines = null);

/// <summary>
/// The receivers the parser knows, as data. Microsoft (Outlook.com vs Microsoft 365), Google and Yahoo are recognised
/// first by <c>ProviderDetector</c>'s own rules (their hosts overlap); every other receiver is recognised from this list
/// in order. Sources: docs/knowledge mailbox-providers.md, the providers' postmaster pages, and the receiver modules of
/// Sisimai's library (facts learnt, our own wording).
/// </summary>
public static class ReceiverCatalog
{
    /// <summary>Every receiver, in the order they are tried: the first that matches wins.</summary>
    public static readonly Receiver[] All = [.. MailboxProviderReceivers.All, .. SecurityGatewayReceivers.All];

    private static readonly Dictionary<string, Receiver> ByKey = All.ToDictionary(r => r.Key, StringComparer.Ordinal);

    public static Receiver? Find(string? key) => key is not null && ByKey.TryGetValue(key, out var receiver) ? receiver : null;

    /// <summary>
    /// Recognises a receiver other than Microsoft, Google and Yahoo: the remote MTA's host name first (the surest sign),
    /// then a marker the receiver writes in its replies, then the recipient's domain.
    /// </summary>
    public static Receiver? Recognise(string lowerDomain, string lowerRemoteHost, string lowerText)
    {
        // Most replies name no receiver at all: one linear scan for every host suffix and marker settles that before
        // the catalogue is walked receiver by receiver (which keeps its order: the first receiver in the list wins).
        if (lowerRemoteHost.Length > 0 && lowerRemoteHost.AsSpan().ContainsAny(AnyHostSuffix))
        {
            foreach (var receiver in All)
            {
                foreach (var suffix in receiver.HostSuffixes)
                {
                    if (HostMatches(lowerRemoteHost, suffix))
                    {
                        return receiver;
                    }
                }
            }
        }

        if (lowerText.Length > 0 && lowerText.AsSpan().ContainsAny(AnyTextMarker))
        {
            foreach (var receiver in All)
            {
                foreach (var marker in receiver.TextMarkers)
                {
                    if (lowerText.Contains(marker, StringComparison.Ordinal))
                    {
                        return receiver;
                    }
                }
            }
        }

        foreach (var receiver in All)
        {
            foreach (var domain in receiver.Domains)
            {
                if (lowerDomain.EndsWith(domain, StringComparison.Ordinal) &&
                    (lowerDomain.Length == domain.Length || lowerDomain[^(domain.Length + 1)] == '.'))
                {
                    return receiver;
                }
            }
        }

        return null;
    }

    private static readonly SearchValues<string> AnyHostSuffix = SearchValues.Create(All.SelectMany(r => r.HostSuffixes).Distinct().ToArray(), StringComparison.Ordinal);

    private static readonly SearchValues<string> AnyTextMarker = SearchValues.Create(All.SelectMany(r => r.TextMarkers).Distinct().ToArray(), StringComparison.Ordinal);

    /// <summary>The reason a receiver's own documented text means, or null when the receiver wrote none of them.</summary>
    public static string? ReasonFor(string? key, string lowerText, int? replyCode, string? command, string? status = null)
    {
        if (Find(key) is not { } receiver || lowerText.Length == 0)
        {
            return null;
        }

        foreach (var phrase in receiver.Phrases)
        {
            if ((phrase.ReplyCode is null || phrase.ReplyCode == replyCode) && (phrase.Command is null || phrase.Command == command) &&
                (!phrase.OnlyWithGenericStatus || status is null || status.EndsWith(".0.0", StringComparison.Ordinal)) &&
                lowerText.Contains(phrase.Text, StringComparison.Ordinal))
            {
                return phrase.Reason;
            }
        }

        return null;
    }

    /// <summary>
    /// The reason a receiver's bounce states in its headline above the recipients (<see cref="Receiver.NoticeHeadlines"/>),
    /// or null. <paramref name="lowerNotice"/> is the bounce's own text, lower-cased, without the returned message.
    /// </summary>
    public static string? HeadlineReasonFor(string? key, string lowerNotice)
    {
        if (Find(key)?.NoticeHeadlines is not { } headlines || lowerNotice.Length == 0)
        {
            return null;
        }

        foreach (var headline in headlines)
        {
            if (lowerNotice.Contains(headline.Text, StringComparison.Ordinal))
            {
                return headline.Reason;
            }
        }

        return null;
    }

    /// <summary>"mx1.cox.net" ends in "cox.net" at a label boundary; "notcox.net" does not.</summary>
    private static bool HostMatches(string host, string suffix)
    {
        var at = host.IndexOf(suffix, StringComparison.Ordinal);
        while (at >= 0)
        {
            var end = at + suffix.Length;
            var startsLabel = at == 0 || host[at - 1] is '.' or '-' or ' ' or '[' or ';' or '(';
            var endsName = end == host.Length || !(char.IsAsciiLetterOrDigit(host[end]) || host[end] == '-');
            if (startsLabel && endsName)
            {
                return true;
            }

            at = host.IndexOf(suffix, at + 1, StringComparison.Ordinal);
        }

        return false;
    }
}
