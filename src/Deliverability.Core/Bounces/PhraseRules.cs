using System.Buffers;

namespace Deliverability.Core.Bounces;

/// <summary>
/// Phrases that MTAs and mailbox providers write in diagnostics, grouped by the reason they reveal.
/// Checked in order: the more specific reasons come first, so "user unknown ... relay" stays a user problem.
/// Texts are matched lower-cased with whitespace collapsed to single spaces.
/// </summary>
internal static class PhraseRules
{
    private static readonly (string Reason, string[] Phrases)[] Rules =
    [
        ("mailererror", ["command died with status", "mail delivery program", "procmail", "unknown mailer error", "command output:",
            "pipe to |", "exec /", "mailer error", "x-unix;", "local delivery failed", "delivery to a program"]),
        ("failedstarttls", ["support tls", "starttls", "tls required", "requires tls", "must use tls", "tls is required", "encryption required",
            "tls negotiation"]),
        ("notcompliantrfc", ["rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "rfc 822", "rfc822 ", "not rfc compliant", "multiple from",
            "duplicate header", "not compliant", "rfc-compliant", "rfc compliant", "too many \"from\"", "missing from",
            "missing date", "missing message-id", "multiple addresses in from"]),
        ("mesgtoobig", ["message too large", "message is too large", "message too big", "message is too big", "message size exceeds",
            "exceeds the maximum message size", "exceeds size limit", "message exceeds", "size exceeds", "exceeded maximum message size",
            "message length exceeds", "too large for", "size limit", "message size limit", "mail size", "exceeds maximum allowed message size",
            "larger than the maximum", "line limit exceeded"]),
        ("mailboxfull", ["mailbox full", "mailbox is full", "mailbox has exceeded", "over quota", "overquota", "quota exceeded",
            "exceeded storage", "exceeded its quota", "exceeds its quota", "insufficient storage", "mailbox size limit", "disk quota",
            "mail box full", "mailbox was full", "is over its", "not enough storage", "full mailbox", "quota exceed", "exceed quota",
            "exceeded the quota", "storage allocation", "mailbox exceeds", "out of storage", "mailfolder is full", "inbox is full",
            "recipient's mailbox is full", "account is full", "no space left", "user has exceeded", "quota has been exceeded",
            "over its quota", "over the quota", "maildir over quota", "too many messages in the mailbox", "mailbox is over",
            "user is over", "has exceeded the storage", "exceeds storage"]),
        ("suspend", ["account disabled", "account has been disabled", "account is disabled", "mailbox disabled", "mailbox is disabled",
            "temporarily locked", "temporary locked", "account is locked", "account locked", "mailbox is inactive", "inactive account", "account inactive",
            "account is inactive", "is inactive", "deactivated", "account expired", "mailbox unavailable or inactive",
            "has been disabled", "is not active", "no longer active", "disabled recipient", "recipient disabled", "mailbox is frozen",
            "blocked mailbox", "account has been blocked", "recipient suspended", "user suspended", "is locked",
            "account suspended", "mailbox suspended", "has been suspended", "is suspended"]),
        ("hasmoved", ["has moved", "no longer with", "address has changed", "moved to", "has been moved"]),
        ("securityerror", ["delivery not authorized", "turn on smtp authentication", "unauthenticated senders", "authentication required", "authentication is required", "smtp auth"]),
        ("norelaying", ["relay access denied", "relaying denied", "relay not permitted", "not permitted to relay", "unable to relay",
            "relaying not allowed", "relay denied", "we do not relay", "not a gateway", "no relaying", "relaying is not allowed",
            "relaying prohibited", "relaying mail to", "relay not allowed", "unauthorized relay", "not allowed to relay",
            "relay prohibited", "configured to relay", "relay mail", "unable to relay", "relay rejected", "relaying to", "open relay"]),
        ("notaccept", ["no mx", "couldn't find a mail exchanger", "no mail exchanger", "indicated no smtp service", "does not accept mail", "does not accept email", "accepts no mail", "null mx", "not accepting mail",
            "no mail accepted", "does not receive mail", "doesn't accept mail"]),
        ("requireptr", ["reverse dns", "reverse-dns", "ptr record", "no ptr", "rdns", "reverse lookup", "reverse hostname",
            "cannot find your hostname", "cannot resolve your", "resolve your address", "hostname for your ip", "unresolvable",
            "ip name lookup failed", "name lookup failed", "mismatches client", "unverifyable sending ip", "unverifiable sending ip", "client host name", "not resolvable", "reverse dns lookup",
            "does not have a ptr", "reverse mapping", "cannot find your reverse", "has no reverse", "no reverse"]),
        ("userunknown", ["recipient address rejected: access denied"]),
        ("onhold", ["on hold"]),
        ("spamdetected", ["spam classification", "classified as spam", "detected as spam", "considered spam", "considered as spam",
            "spam content", "looks like spam", "message is spam", "content as spam", "identified as spam", "scored as spam"]),
        ("authfailure", ["spf", "dkim", "dmarc", "sender policy framework", "does not meet the required authentication",
            "unauthenticated", "sender id", "authentication check", "not authenticated with", "failed authentication",
            "domainkeys", "authentication information", "authentication checks", "authentication failed for domain", "must authenticate", "failed to authenticate"]),
        ("virusdetected", ["virus", "malware", "infected", "trojan", "worm detected", "malicious"]),
        ("toomanyconn", ["connection rate", "connection frequency", "too many connections", "too many concurrent", "connection limit", "maximum number of connections",
            "too many smtp sessions", "too many simultaneous", "exceeded the maximum number of connections", "connections from your ip",
            "too many open connections", "concurrent connections"]),
        ("badreputation", ["reputation", "sender score", "senderscore"]),
        ("speeding", ["rate limit", "ratelimit", "rate-limit", "too many messages", "too many emails", "too many mails",
            "sending rate", "too many recipients", "throttl", "too fast", "exceeded the rate", "slow down", "sending too many", "message rate"]),
        ("rejected", ["address that has been blacklisted", "address has been blacklisted", "sender address is blacklisted"]),
        ("blocked", ["blocked using", "blacklisted", "blacklist", "blocklist", "block list", "blocklisted", "is listed", "are listed", "been listed", "ip listed", "listed by", "listed at",
            "listed on", "rbl", "dnsbl", "spamhaus", "spamcop", "client host rejected", "client host blocked", "your ip",
            "ip address", "messages from [", "dynamic ip", "dynamic address", "dynamically", "residential", "banned sending ip",
            "smtp server of your isp", "use your isp", "your isp", "not allowed to send mail from", "connection refused by",
            "connection rejected", "access denied. ip", "blocked by", "has been blocked", "is blocked", "ip blocked", "ip banned",
            "rejected because the ip", "host blocked", "mail from your ip", "network is on our block", "your network", "invalid ip", " ip=", "dialup",
            "dial-up", "sorbs", "barracuda", "not authorized to send", "poor reputation host", "you are not allowed to connect",
            "connecting host", "your host", "sending host", "rejected due to ip", "blocked ip"]),
        ("spamdetected", ["spam", "junk mail", "unsolicited", "bulk mail", "bulk e-mail", "scored as", "content rejected",
            "message content", "looks like", "considered as", "classified as", "suspicious", "phish"]),
        ("policyviolation", ["content presents", "protocol violation", "policy violation", "policy reasons", "violates", "violation of", "local policy", "prohibited",
            "not accepted for policy", "policy rejection", "against policy", "our policy", "message policy", "by policy",
            "policy restriction", "policy rules"]),
        ("rejected", ["sender address rejected", "sender rejected", "domain of sender", "sender verify failed", "unroutable sender",
            "sender verification failed", "envelope sender", "invalid sender", "sender domain", "sender address domain",
            "may not exist, or you may not have permission to post"]),
        ("hostunknown", ["host unknown", "host not found", "unknown host", "domain not found", "no such domain", "domain does not exist",
            "host or domain name not found", "name or service not known", "domain name not found", "unknown domain",
            "nxdomain", "lookup fail", "illegal host", "domain is not", "unrouteable", "unroutable", "invalid domain", "domain unknown",
            "does not resolve", "cannot be resolved", "not resolve", "bad destination host", "domain lookup failed",
            "dns lookup", "unknown mail domain", "host lookup did not complete"]),
        ("userunknown", ["user unknown", "unknown user", "no such user", "no such mailbox", "mailbox not found", "mailbox unavailable",
            "invalid recipient", "recipient unknown", "unknown recipient", "not our customer", "no mailbox", "recipient not found",
            "user not found", "invalid mailbox", "account does not exist", "address unknown", "unknown address",
            "bad destination mailbox", "not a valid mailbox", "no such address", "unknown local part", "not listed in",
            "mailbox does not exist", "does not exist", "doesn't exist", "address not found", "recipient does not exist",
            "user does not exist", "not a known user", "invalid address", "unknown or illegal alias", "no such recipient",
            "user doesn't have", "does not have an account", "isn't a valid",
            "is not a valid", "undeliverable address", "no account", "recipient rejected", "mailbox unknown", "unknown mailbox",
            "no such local user", "not exist", "destination address rejected", "unrouteable address", "not valid", "invalid user",
            "no such person", "invalid final delivery", "unknown e-mail", "unknown email", "couldn't be found", "could not be found", "wasn't found",
            "was not found", "invalid-recipient", "no valid recipient", "mailbox name not allowed", "no longer valid",
            "user is unknown", "email address is not"]),
        ("rejected", ["sender address rejected", "sender rejected", "domain of sender", "sender domain", "sender verify failed",
            "sender unknown", "invalid sender", "sender is not", "unroutable sender", "envelope sender", "purported responsible",
            "return path", "bad sender", "sender address", "from address", "mail from", "sender not", "sender denied",
            "sender blocked", "refused by", "rejected by", "sender verification", "verify sender"]),
        ("expired", ["retry time exceeded", "retry timeout exceeded", "delivery time expired", "message expired", "has expired",
            "expired", "queue too long", "too long in queue", "in the queue too long", "was not delivered within",
            "could not be delivered within", "giving up", "given up", "maximum time", "timed out waiting", "message timed out",
            "delivery attempts will continue", "failing for a long time", "aborted after", "has been delayed", "delivery is delayed", "delayed", "will retry",
            "not yet been delivered", "could not deliver for", "time limit", "timeout exceeded", "will be retried",
            "retry period"]),
        ("networkerror", ["connection refused", "connection timed out", "no route to host", "network is unreachable",
            "name service error", "lost connection", "connection reset", "loop detected", "mail loop", "too many hops",
            "hop count", "routing loop", "loops back", "timed out", "network error", "could not connect", "unable to connect",
            "connect to", "dns error", "temporary failure in name resolution", "malformed or unexpected name server reply",
            "connection dropped", "connection closed", "remote host said: 421", "not reachable"]),
        ("systemfull", ["mail system full", "insufficient system storage", "disk full", "insufficient disk", "disk space", "out of disk", "system storage",
            "file system full", "no space"]),
        ("securityerror", ["authentication required", "not authenticated", "smtp auth", "auth required", "authentication is required",
            "access denied", "certificate", "unauthorized", "must be authenticated", "security error"]),
        ("syntaxerror", ["malformed address", "syntax error", "command unrecognized", "command not recognized", "unrecognized command", "bad command",
            "command not implemented", "bad sequence", "invalid command", "unknown command", "line too long"]),
        ("contenterror", ["invalid header", "malformed", "message header", "8-bit", "8bit", "line too long", "content type",
            "mime", "charset", "header error", "bad header", "attachment"]),
        ("systemerror", ["system error", "internal error", "operating system error", "server error", "local error", "i/o error",
            "configuration error", "system problem", "mail system problem", "server failure", "write error", "misconfigur", "local problem",
            "host not responding"]),
        ("filtered", ["filtered", "refused by the recipient", "rejected by recipient", "header filter"]),
    ];

    /// <summary>Words too vague to beat a status code, used only when nothing else is known.</summary>
    private static readonly (string Reason, string[] Phrases)[] VagueRules =
    [
        ("userunknown", ["not found", "unknown"]),
        ("policyviolation", ["policy"]),
        ("securityerror", ["security", "not permitted"]),
        ("filtered", ["filter"]),
        ("rejected", ["not allowed", "reject", "refused", "denied"]),
    ];

    /// <summary>Reasons a phrase in the text reveals better than a generic status code can.</summary>
    private static readonly HashSet<string> Strong =
    [
        "mailererror", "mailboxfull", "suspend", "norelaying", "notaccept", "requireptr", "authfailure",
        "virusdetected", "toomanyconn", "speeding", "badreputation", "blocked", "spamdetected", "policyviolation", "expired",
        "hasmoved", "failedstarttls", "systemfull",
    ];

    /// <summary>Every phrase of every rule, searched for in one pass.</summary>
    private static readonly SearchValues<string> AllPhrases = SearchValues.Create(Rules.SelectMany(r => r.Phrases).Distinct().ToArray(), StringComparison.Ordinal);

    /// <summary>For each first character, the phrases starting with it and the position of their rule.</summary>
    private static readonly Dictionary<char, (string Phrase, int Rule)[]> ByFirstChar = Rules
        .SelectMany((rule, index) => rule.Phrases.Select(phrase => (Phrase: phrase, Rule: index)))
        .GroupBy(p => p.Phrase[0])
        .ToDictionary(g => g.Key, g => g.ToArray());

    /// <summary>The reason of the first rule (in priority order) with a phrase anywhere in the text.</summary>
    public static string? Match(string lowerText)
    {
        var text = lowerText.AsSpan();
        var best = int.MaxValue;
        var offset = 0;
        while (offset < text.Length)
        {
            var found = text[offset..].IndexOfAny(AllPhrases);
            if (found < 0)
            {
                break;
            }

            var at = offset + found;
            var rest = text[at..];
            foreach (var (phrase, rule) in ByFirstChar[text[at]])
            {
                if (rule < best && rest.StartsWith(phrase, StringComparison.Ordinal))
                {
                    best = rule;
                }
            }

            if (best == 0)
            {
                break;
            }

            offset = at + 1;
        }

        return best == int.MaxValue ? null : Rules[best].Reason;
    }

    public static string? MatchVague(string lowerText)
    {
        foreach (var (reason, phrases) in VagueRules)
        {
            foreach (var phrase in phrases)
            {
                if (lowerText.Contains(phrase, StringComparison.Ordinal))
                {
                    return reason;
                }
            }
        }

        return null;
    }

    public static bool OverridesStatus(string reason) => Strong.Contains(reason);
}
