using Deliverability.Core.Bounces;

namespace Deliverability.Core.Logs;

/// <summary>What the bounce parser's pieces make of one logged reply: codes, reason, provider and whether Microsoft blocked the IP.</summary>
internal readonly record struct DeliveryOutcome(
    string? Reply, string? Dsn, int? ReplyCode, string? Command, string Reason, string? Provider, string? ProviderCode, bool IsMicrosoftBlock);

/// <summary>Classifies a logged delivery with the bounce parser's provider detection, code finding and reason rules.</summary>
internal static class DeliveryOutcomeClassifier
{
    private static readonly string[] MicrosoftMarkers =
    [
        "mail.live.com/mail/troubleshooting.aspx", "s3150", "s3140", "rp-001", "rp-002", "rp-003", "sc-001", "sc-002", "sc-003", "sc-004",
        "dy-001", "dy-002", "ou-001", "ou-002",
    ];

    /// <summary>Reasons that, coming from protection.outlook.com, are aimed at the sending IP rather than at the recipient.</summary>
    private static readonly HashSet<string> IpReasons = new(StringComparer.Ordinal)
    {
        BounceReasons.Blocked, BounceReasons.BadReputation, BounceReasons.Speeding, BounceReasons.TooManyConn, BounceReasons.SpamDetected, BounceReasons.PolicyViolation, BounceReasons.Rejected,
    };

    /// <param name="status">What the MTA logged as the outcome.</param>
    /// <param name="recipient">Lower-cased recipient address.</param>
    /// <param name="relayHost">Remote server name (or IP) the MTA talked to, if any.</param>
    /// <param name="dsn">Enhanced status code the MTA logged, if any (found in the reply otherwise).</param>
    /// <param name="reply">The remote server's reply, or the MTA's own explanation when no server answered.</param>
    /// <param name="context">What the MTA wrote around the reply ("in reply to MAIL FROM command", "SMTP error ... after RCPT TO"), which tells the SMTP stage.</param>
    public static DeliveryOutcome Classify(DeliveryStatus status, string recipient, string? relayHost, string? dsn, string? reply, string? context)
    {
        var remote = ResultBuilder.Tidy(reply);
        if (status == DeliveryStatus.Sent)
        {
            // Most lines of a log: keep them cheap. Nothing was refused, so only the provider (from the domain and relay) matters.
            var sentCode = remote is null ? null : SmtpCodes.FindReplyCode(remote);
            var sentStatus = dsn ?? (remote is null ? null : SmtpCodes.FindStatus(remote));
            var (sentProvider, _) = ProviderDetector.Detect(recipient, relayHost, null, null);
            return new DeliveryOutcome(remote, sentStatus, sentCode, null, BounceReasons.Delivered, sentProvider, null, false);
        }

        var text = context is null ? remote : ResultBuilder.Tidy(remote + " " + context);
        var replyCode = remote is null ? null : SmtpCodes.FindRemoteReplyCode(remote);
        var status3463 = dsn ?? (remote is null ? null : SmtpCodes.FindRemoteStatus(remote));
        var lower = ReasonClassifier.Normalise(text);
        var command = SmtpCommand.Find(lower);

        string reason;
        if (text is null)
        {
            reason = status == DeliveryStatus.Expired ? BounceReasons.Expired : BounceReasons.Undefined;
        }
        else
        {
            var action = status == DeliveryStatus.Bounced ? "failed" : "delayed";
            reason = ReasonClassifier.Classify(status3463, replyCode, text, action, command);
            if (status == DeliveryStatus.Deferred && reason == BounceReasons.Expired)
            {
                // The classifier reads "delayed + connection failure" as a retry period that ran out; a deferral has not run out yet.
                reason = BounceReasons.NetworkError;
            }
        }

        var (provider, providerCode) = ProviderDetector.Detect(recipient, relayHost, text, status3463);
        // A documented provider code says more than the words around it (as the bounce parser does); Gmail's codes are generic.
        if (provider is not null and not "gmail" && Providers.ProviderCodeCatalog.Find(provider, providerCode) is { } known)
        {
            reason = known.Reason;
        }

        var block = IsMicrosoftBlock(lower, relayHost, status3463, replyCode, reason);
        return new DeliveryOutcome(remote, status3463, replyCode, command, reason, provider, providerCode, block);
    }

    private static bool IsMicrosoftBlock(string lower, string? relayHost, string? dsn, int? replyCode, string reason)
    {
        var refused = replyCode is >= 400 and < 600 || dsn is not null && dsn[0] is '4' or '5';
        if (!refused)
        {
            return false;
        }

        if (dsn is not null && (dsn.StartsWith("4.7.65", StringComparison.Ordinal) ||
            (dsn.Length == 7 && dsn.StartsWith("5.7.6", StringComparison.Ordinal))))
        {
            return true;
        }

        foreach (var marker in MicrosoftMarkers)
        {
            if (lower.Contains(marker, StringComparison.Ordinal))
            {
                return true;
            }
        }

        var fromMicrosoft = lower.Contains("protection.outlook.com", StringComparison.Ordinal) ||
            (relayHost is not null && relayHost.Contains("protection.outlook.com", StringComparison.OrdinalIgnoreCase));
        return fromMicrosoft && IpReasons.Contains(reason);
    }
}
