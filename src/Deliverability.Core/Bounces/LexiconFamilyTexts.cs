namespace Deliverability.Core.Bounces;

/// <summary>
/// The second part of the reason lexicon, in priority order: the broad families (blocklists, spam and content verdicts,
/// authentication, connection and rate limits, sender refusals, unknown hosts and users, expiry, network, system,
/// syntax and content errors, recipients' filters), searched after <see cref="LexiconPreciseTexts"/>.
/// </summary>
internal static class LexiconFamilyTexts
{
    private const string Observed = ReasonLexicon.Observed;

    public static readonly LexiconEntry[] Entries =
    [
        new(BounceReasons.OnHold, "RFC 3463 practice: the receiver says it holds the message", ["on hold"]),
        // Postfix reject_rbl_client's own words name a DNS blocklist, whatever else the list's URL says ("reputation",
        // "spam"): the connecting IP is listed.
        new(BounceReasons.Blocked, "Postfix smtpd reject_rbl_client 'Client host [ip] blocked using <list>'", ["blocked using"]),
        new(BounceReasons.SpamDetected, "SpamAssassin/Amavis verdicts, Gmail 5.7.1 'likely unsolicited mail', Microsoft 5.7.1 'classified as spam'", ["spam classification", "classified as spam", "detected as spam", "considered spam", "considered as spam",
            "looks like spam", "message is spam", "content as spam", "identified as spam", "scored as spam", "likely unsolicited"]),
        // Content verdicts that also hold words of later entries ("blacklisted URL" is about the content, "spam or virus"
        // is a spam verdict, "URIBL policy" a spam list): SpamAssassin/SURBL wording, cPanel/Exim, MailMarshal, Cyberoam
        // (Sisimai's SpamDetected catalogue).
        new(BounceReasons.SpamDetected, Observed + "SpamDetected) and Exchange's content filter agent: content verdicts worded like other reasons", ["blacklisted url", "no spam please", "blocked by spamassassin",
            "bulk email", "content filter rejection", "spam or virus", "unacceptable content", "bulk.advertising", "banned content",
            "mass mailer", "uribl", "spam points", "probability of being spam", "spam-like", "antispam checks",
            "spam block", "spam filter", "content filter agent"]),
        new(BounceReasons.AuthFailure, "RFC 7208/6376/7489 wording, Gmail 5.7.26, Microsoft 5.7.509/5.7.515, Yahoo 5.7.9", ["spf", "dkim", "dmarc", "sender policy framework", "does not meet the required authentication",
            "unauthenticated", "sender id", "authentication check", "not authenticated with", "failed authentication",
            "domainkeys", "authentication information", "authentication checks", "authentication failed for domain", "must authenticate", "failed to authenticate"]),
        new(BounceReasons.VirusDetected, "ClamAV/Amavis 'infected', Sophos/Trend Micro/Symantec gateway notices", ["virus", "malware", "infected", "trojan", "worm detected", "malicious", "potentially executable attachment"]),
        // Connection-count limits come before rate limits: "connection rate limit" is about connections.
        new(BounceReasons.TooManyConn, "Sendmail daemon.c 'too many SMTP sessions', Postfix anvil 'too many connections', Microsoft 4.7.652, RFC 3463 X.5.3 too many recipients", ["connection rate", "connection frequency", "too many connections", "too many concurrent", "connection limit", "maximum number of connections",
            "too many smtp sessions", "too many simultaneous", "exceeded the maximum number of connections", "connections from your ip",
            "too many open connections", "concurrent connections", "too many sessions", "concurrent sessions", "maximum connection",
            "connections per ip", "connection count", "trop de connexions", "too many recipients", "frequency limited", "session limit",
            "too many errors from your ip", "thread limit exceeded", "outbound thread limit",
            "multiple destination domains per transaction"]),
        new(BounceReasons.BadReputation, "Gmail 4.7.0 'very low reputation', Microsoft 4.7.650, Yahoo TS0x", ["reputation", "sender score", "senderscore"]),
        new(BounceReasons.Speeding, "Postfix anvil message rate, Gmail 4.7.28 'unusual rate', Microsoft 4.7.500, Amazon SES 'maximum sending rate'", ["rate limit", "ratelimit", "rate-limit", "too many messages", "too many emails", "too many mails",
            "sending rate", "throttl", "too fast", "exceeded the rate", "slow down", "sending too many", "message rate", "per hour", "per day",
            "daily message quota", "threshold exceeded"]),
        new(BounceReasons.Rejected, Observed + "Rejected): a listed sender address, not an IP", ["address that has been blacklisted", "address has been blacklisted", "sender address is blacklisted", "sender is in my black list",
            "sender blacklisted", "sender blocklisted", "sender is blacklisted", "sender is blocklisted", "sender address blacklisted"]),
        new(BounceReasons.Blocked, "Postfix reject_rbl_client 'blocked using', Spamhaus/Spamcop/SORBS/Barracuda listing notices, Microsoft S3150/5.7.606, Gmail 5.7.1 'not authorized to send'", ["blocked using", "blacklisted", "blacklist", "blocklist", "block list", "blocklisted", "is listed", "are listed", "been listed", "ip listed", "listed by", "listed at",
            "listed on", "rbl", "dnsbl", "spamhaus", "spamcop", "client host rejected", "client host blocked", "your ip",
            "ip address", "messages from [", "dynamic ip", "dynamic address", "dynamically", "residential", "banned sending ip",
            "smtp server of your isp", "use your isp", "your isp", "not allowed to send mail from", "connection refused by",
            "connection rejected", "access denied. ip", "blocked by", "has been blocked", "is blocked", "ip blocked", "ip banned",
            "rejected because the ip", "host blocked", "mail from your ip", "network is on our block", "your network", "invalid ip", " ip=", "dialup",
            "dial-up", "sorbs", "barracuda", "not authorized to send", "poor reputation host", "you are not allowed to connect",
            "connecting host", "your host", "sending host", "rejected due to ip", "blocked ip", "ip not in whitelist", "host network not allowed",
            "too many invalid recipients", "too many bad recipients"]),
        // Refusals of the connecting host in other words: RFC 5321's 421 "Service not available, closing transmission
        // channel", Sendmail srvrsmtp.c "Rejecting open proxy", Postfix reject_unknown_helo_hostname "Helo command
        // rejected", iCloud "ESMTP not accepting connections", qmail rblsmtpd/greylisting patches and ISP wording
        // (Sisimai's Blocked catalogue).
        new(BounceReasons.Blocked, Observed + "Blocked): the connecting host refused in other words", ["service not available, closing transmission channel",
            "open proxy", "helo command rejected", "not accepting connections", "bad ip profile", "listed as abusive",
            "looks suspiciously like spammer", "sending spam", "go away", "refused to talk to me", "no access from mail server",
            "server requires confirmation", "confirm this mail server", "hosts with dynamic ip",
            "helo/ehlo argument is invalid"]),
        new(BounceReasons.SpamDetected, Observed + "SpamDetected): content filters' generic spam verdicts", ["spam", "junk mail", "unsolicited", "bulk mail", "bulk e-mail", "scored as", "content rejected",
            "message content", "looks like", "considered as", "classified as", "suspicious", "phish", "content denied"]),
        new(BounceReasons.PolicyViolation, "Gmail 5.7.1 'policy that prohibited', Yahoo PH01 'not accepted for policy reasons', Microsoft transport rules", ["content presents", "protocol violation", "policy violation", "policy reasons", "violates", "violation of", "local policy", "prohibited",
            "not accepted for policy", "policy rejection", "against policy", "our policy", "message policy", "by policy",
            "policy restriction", "policy rules", "organization policy", "organizational settings", "anti-spoofing policy", "illegal attachment", "header error",
            "due to security policies", "do not accept messages containing",
            "members-only list", "closed mailing list", "header are not accepted", "headers are not accepted",
            "messages with multiple addresses",
            // amavisd-new's reply for a banned file name or type ("554 5.7.0 Reject, id=... - BANNED: name") and gateways'
            // attachment rules: the recipient's policy on attachments, not a virus or spam verdict.
            " - banned:", "banned attachment", "attachment extension is forbidden", "forbidden attachment", "attachment type not allowed",
            "file type is not allowed"]),
        new(BounceReasons.Rejected, "Postfix reject_unknown_sender_domain 'Sender address rejected', Exim callout 'sender verify failed', RFC 3463 X.1.7/X.1.8", ["sender address rejected", "sender rejected", "domain of sender", "sender verify failed", "unroutable sender",
            "sender verification failed", "envelope sender", "invalid sender", "sender domain", "sender address domain",
            "may not exist, or you may not have permission to post", "is not a registered gateway user", "null sender is not allowed",
            "empty envelope senders", "administrative prohibition", "envelope blocked", "not pre-approved"]),
        new(BounceReasons.HostUnknown, "Postfix 'Host or domain name not found', Sendmail 'Host unknown', Exim 'unrouteable mail domain', Google 'We weren't able to find the recipient domain', RFC 3463 X.1.2", ["host unknown", "host not found", "unknown host", "domain not found", "no such domain", "domain does not exist",
            "host or domain name not found", "name or service not known", "domain name not found", "unknown domain",
            "nxdomain", "lookup fail", "illegal host", "domain is not", "unrouteable", "unroutable", "invalid domain", "domain unknown",
            "does not resolve", "cannot be resolved", "not resolve", "bad destination host", "domain lookup failed",
            "dns lookup", "unknown mail domain", "host lookup did not complete", "domain must exist", "domain may not exist",
            "domain mentioned in email address is unknown", "dns records for the destination",
            "host address lookups failed permanently", "mx records point to non-existent hosts", "couldn't find any host",
            "domain doesnt exist", "nonexistent domain", "non-existent domain", "returned answer with no data",
            "find the recipient domain"]),
        new(BounceReasons.UserUnknown, "Postfix 'User unknown in local recipient table', Sendmail 'User unknown', Exim 'Unrouteable address', qmail 'no mailbox here by that name', Gmail 5.1.1, Microsoft 5.1.10, Yahoo 5.1.1", ["user unknown", "unknown user", "no such user", "no such mailbox", "mailbox not found", "mailbox unavailable",
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
            "user is unknown", "email address is not", "does not like recipient", "no such user here", "addressee unknown", "destinataire inconnu", "utilisateur inconnu"]),
        // The same answer in the words of smaller MTAs and patches (qmail badrcptto/validrcptto, vpopmail vdeliver,
        // Courier, Italian/Spanish servers; Sisimai's UserUnknown catalogue).
        new(BounceReasons.UserUnknown, Observed + "UserUnknown): a missing mailbox in other words", ["5.1.1 bad address", "address invalid", "archived recipient",
            "bad-recipient", "bad_recipient", "can't accept user", "destination server rejected recipients", "destination addresses were unknown",
            "not an active address", "nessun utente simile", "no existe dicha persona", "no existe ese usuario", "no mail box",
            "non-existent user", "nonexistent user", "non existent user", "not a local address", "refuses to accept your mail",
            "recipient not ok", "badrcptto", "validrcptto", "envelope recipient has been denied", "no one at this address",
            "no longer accepts mail", "missing home directory", "user not active", "recipients was undeliverable", "recipient is not local",
            "not present in directory", "no matches to nameserver query", "email name is not found", "unknown virtual user",
            "no account by that name"]),
        // The same answer in the languages of European deployments: Spanish, Portuguese, German, Dutch, Italian, French
        // server replies and localised Exchange NDR texts ("El usuario no existe", "Benutzer unbekannt", "Utente
        // sconosciuto", "Gebruiker onbekend", "Usuário desconhecido", "Adresse inconnue"; Sisimai's UserUnknown catalogue
        // holds the Italian and Spanish ones too).
        new(BounceReasons.UserUnknown, "localised server replies and Exchange NDR texts (es, pt, de, nl, it, fr)", ["usuario no existe", "usuario desconocido",
            "no existe el usuario", "buzon no existe", "buzón no existe", "usuário desconhecido", "usuario inexistente", "usuário inexistente",
            "benutzer unbekannt", "unbekannter benutzer", "empfänger unbekannt", "unbekannter empfänger", "mailbox nicht vorhanden",
            "postfach nicht vorhanden", "gebruiker onbekend", "onbekende gebruiker",
            "utente sconosciuto", "utente inesistente", "casella inesistente", "adresse inconnue"]),
        new(BounceReasons.Rejected, Observed + "Rejected): sender refusals in looser words", ["sender address rejected", "sender rejected", "domain of sender", "sender domain", "sender verify failed",
            "sender unknown", "invalid sender", "sender is not", "unroutable sender", "envelope sender", "purported responsible",
            "return path", "bad sender", "sender address", "from address", "mail from", "sender not", "sender denied",
            "sender blocked", "refused by", "rejected by", "sender verification", "verify sender"]),
        // The retry period ran out: Postfix maximal_queue_lifetime, Exim retry rules, Sendmail Timeout.queuereturn,
        // qmail queuelifetime, Exchange message expiration, RFC 3463 X.4.7.
        new(BounceReasons.Expired, "Postfix 'delivery temporarily suspended ... message expired', Exim 'retry timeout exceeded', Sendmail 'Cannot send message for 5 days', qmail 'I'm not going to try again', Exchange 4.4.7, RFC 3463 X.4.7", ["retry time exceeded", "retry timeout exceeded", "delivery time expired", "message expired", "has expired",
            "expired", "queue too long", "too long in queue", "in the queue too long", "was not delivered within",
            "could not be delivered within", "giving up", "given up", "maximum time", "timed out waiting", "message timed out",
            "delivery attempts will continue", "failing for a long time", "aborted after", "has been delayed", "delivery is delayed", "delayed", "will retry",
            "not yet been delivered", "could not deliver for", "time limit", "timeout exceeded", "will be retried",
            "retry period", "queue lifetime", "queuelifetime", "server did not respond", "could not find a gateway", "failed to deliver to domain",
            "not been collected after", "numerous attempts to deliver", "cannot send message for", "could not send message for",
            "stopped trying", "has been in the queue", "could not be delivered for", "not been delivered for",
            "not going to try again", "no action is required on your part", "multiple retries", "allowed queue period", "long failure period", "sitting in queue", "no longer retry",
            "delivery timeout", "wasn't able to establish an smtp connection", "did not accept our requests to connect",
            // MDaemon: "After one or more unsuccessful delivery attempts the attached message has been removed from the
            // mail queue"; Courier: "Delivery attempts have been abandoned" (courierd's queue expiry).
            "removed from the mail queue", "unsuccessful delivery attempts", "attempts have been abandoned"]),
        // A loop made by the receiving side's own configuration (an MX pointing back at the relay, an alias expanding to
        // itself) is a fault of that system, not of the network: Postfix 'mail for X loops back to myself', Sendmail
        // 'aliasing/forwarding loop broken', qmail/Exchange MX-loop notices.
        new(BounceReasons.SystemError, "Postfix smtp(8) 'loops back to myself', Sendmail alias.c 'aliasing/forwarding loop broken'", ["loops back to myself", "loop was found in the mail exchanger",
            "aliasing/forwarding loop", "would create a mail loop", "mx points back", "mx loop"]),
        new(BounceReasons.NetworkError, "Postfix 'connect to ...: Connection timed out', 'lost connection', 'mail forwarding loop', Exim 'Connection refused', Sendmail 'Deferred: Connection reset'", ["connection refused", "connection timed out", "no route to host", "network is unreachable",
            "name service error", "lost connection", "connection reset", "loop detected", "mail loop", "too many hops",
            "hop count", "routing loop", "loops back", "timed out", "network error", "could not connect", "unable to connect",
            "connect to", "dns error", "temporary failure in name resolution", "malformed or unexpected name server reply",
            "connection dropped", "connection closed", "remote host said: 421", "not reachable", "forwarding loop", "message looping",
            "host is unreachable", "host unreachable", "temporary failure in mx lookup", "no valid route to", "unable to resolve route", "name server reply"]),
        new(BounceReasons.SystemFull, "RFC 3463 X.3.1 'mail system full', Sendmail 'insufficient disk space'", ["mail system full", "insufficient system storage", "disk full", "insufficient disk", "disk space", "out of disk", "system storage",
            "file system full", "no space"]),
        new(BounceReasons.SecurityError, "RFC 4954 'authentication required', RFC 3463 X.7.x security wording", ["authentication required", "not authenticated", "smtp auth", "auth required", "authentication is required",
            "authentication credentials invalid", "authentication failure", "authentication turned on", "account not subscribed to ses",
            "is a dead domain", "verification failure",
            "access denied", "certificate", "unauthorized", "must be authenticated", "security error", "not authorized"]),
        // Protocol-level refusals: the client's command was wrong (RFC 5321 500/501/502/503/504 replies).
        new(BounceReasons.SyntaxError, "RFC 5321 500-504 replies: Postfix 'Command unrecognized', 'Bad sequence of commands', Sendmail 'Syntax error'", ["malformed address", "syntax error", "command unrecognized", "command not recognized", "unrecognized command", "bad command",
            "command not implemented", "bad sequence", "invalid command", "unknown command", "line too long", "unimplemented command",
            "parameter not implemented", "bad address syntax", "hello first", "helo first", "ehlo first", "nested too deep",
            "source-routed address", "expected word or"]),
        new(BounceReasons.ContentError, "RFC 3463 X.6.x media errors, Postfix 'message header' checks, 8BITMIME refusals", ["invalid header", "malformed", "message header", "8-bit", "8bit", "line too long", "content type",
            "mime", "charset", "bad header", "attachment", "improperly-formatted", "base64 encoding"]),
        // The receiving system itself failed: configuration, I/O, internal errors (RFC 3463 X.3.0/X.3.5).
        new(BounceReasons.SystemError, "Sendmail 'Operating system error', Postfix 'local configuration error', Exchange 'internal error', Exim 'mail system configuration error', Google 451 4.3.0 'Mail server temporarily rejected message', RFC 5321 554 'Transaction failed', a pipe's script without its interpreter ('bad interpreter')", ["system error", "internal error", "operating system error", "server error", "local error", "i/o error",
            "configuration error", "system problem", "mail system problem", "server failure", "write error", "misconfigur", "local problem",
            "host not responding", "system config", "temporary local problem", "service currently unavailable", "interrupted system call",
            "error while being processed", "unable to process", "internal resources", "delivery to file forbidden",
            "delivery to pipe forbidden", "lmtp error after", "can't create user output file",
            "mail server temporarily rejected message", "transaction failed", "bad interpreter",
            // The receiving server is not taking mail for now, for its own reasons ("Server busy. Please try again later",
            // RFC 5321 421 "Service not available" without the channel-closing words read as a host refusal above).
            "server busy", "server is busy", "service not available", "system busy", "agent busy",
            // The receiving server gave up on our client mid-transaction (Sisimai's SystemError catalogue).
            "timeout waiting for input"]),
        new(BounceReasons.Filtered, Observed + "Filtered): the recipient's own rules refused the mail", ["filtered", "refused by the recipient", "rejected by recipient", "header filter", "user rules",
            "recipient preferences", "rejected by recipients", "blocked by the recipient", "not accepting any mail", "refuse to receive mail",
            "only accepting mail from", "domain filter"]),
    ];
}
