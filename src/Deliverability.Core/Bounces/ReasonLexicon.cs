using System.Buffers;

namespace Deliverability.Core.Bounces;

/// <summary>One group of texts that MTAs or receivers write for one reason, and where they were observed.</summary>
internal sealed record LexiconEntry(string Reason, string Source, string[] Phrases);

/// <summary>
/// The reason lexicon: for every reason, the texts that MTAs and receivers actually write in their replies and DSNs,
/// each group with the place it was observed (MTA source strings, provider documentation, RFCs, or the catalogue of
/// observed texts in Sisimai's reason modules, from which we learnt facts and wrote our own list).
/// Entries are searched in priority order: the first entry (top of the list) with a phrase anywhere in the text wins,
/// so the more specific reasons come first ("user unknown ... relay" stays a user problem, "connection rate limit"
/// stays a connection limit). Texts are matched lower-cased with whitespace collapsed to single spaces.
/// </summary>
internal static class ReasonLexicon
{
    private const string Observed = "observed across MTAs and receivers (Sisimai reason catalogue, ";

    public static readonly LexiconEntry[] Entries =
    [
        // A local delivery program failed: the MTA quotes the program or its exit status.
        new(BounceReasons.MailerError, "Sendmail/Postfix local(8) and pipe(8), Exim pipe transport, procmail", ["command died with status", "command failed:", "mail delivery program", "procmail", "unknown mailer error", "command output:",
            "pipe to |", "exec /", "mailer error", "x-unix;", "local delivery failed", "delivery to a program"]),
        new(BounceReasons.FailedStartTls, "Postfix smtpd 'must issue a STARTTLS command first', Google 'TLS required', RFC 3207", ["support tls", "starttls", "tls required", "requires tls", "must use tls", "tls is required", "encryption required",
            "tls negotiation", "requires encryption (tls)", "route requires tls"]),
        new(BounceReasons.NotCompliantRfc, "Gmail 5.7.1 RFC 5322 guidelines, Amavis 'bad header', Yahoo policy rejections", ["rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "rfc 822", "rfc822 ", "not rfc compliant", "multiple from",
            "duplicate header", "not compliant", "rfc-compliant", "rfc compliant", "too many \"from\"", "missing from",
            "missing date", "missing message-id", "multiple addresses in from"]),
        // A header block over the receiver's limit is a defect of the message's form, not of its size (Postfix
        // header_size_limit, Exim "message header too big", Sendmail MaxHeadersLength).
        new(BounceReasons.ContentError, "Postfix header_size_limit, Exim 'header too big', Sendmail MaxHeadersLength", ["header size exceed", "headers exceed", "header too big",
            "header too large", "headers too large", "header is too large", "header length exceeds"]),
        // Sending quotas of the sending service come before mailbox quotas: "daily message quota exceeded" is a rate.
        new(BounceReasons.Speeding, "Amazon SES 'Throttling failure: Maximum sending rate exceeded', 'Daily message quota exceeded'", ["throttling failure", "daily message quota", "sending quota"]),
        // A recipient or a relay customer over its message-rate allowance: Google's 4.2.1 "The user you are trying to contact
        // is receiving mail too quickly / at a rate that prevents additional messages", Google Workspace SMTP relay's
        // "Daily/Peak SMTP relay limit exceeded" (Google's SMTP error reference). Messages per time, not connections.
        new(BounceReasons.Speeding, "Google SMTP error reference 4.2.1 receiving-rate and SMTP relay limits", ["is receiving mail too quickly", "receiving mail at a rate",
            "smtp relay limit exceeded"]),
        // The receiving system ran out of its own resources (RFC 3463 X.3.1 "mail system full"; Exchange Online 4.3.1
        // "Insufficient system resources"), even when the reply also says "mailbox unavailable".
        new(BounceReasons.SystemFull, "RFC 3463 X.3.1, Exchange Online 4.3.1 'insufficient system resources'", ["insufficient system resources", "not enough free space"]),
        // An address the directory holds more than once, or a list that cannot be expanded, is the receiving system's own
        // fault (RFC 3463 X.1.4 "destination mailbox address ambiguous", X.2.4 "mailing list expansion problem", X.3.5
        // "system incorrectly configured"; Domino "Several matches found in Domino Directory").
        new(BounceReasons.SystemError, "RFC 3463 X.1.4/X.2.4/X.3.5 wording, Lotus Domino ambiguous directory match", ["destination mailbox address ambiguous", "several matches found in",
            "mailing list expansion problem", "system incorrectly configured", "could not load drd for domain", "failed to be replicated"]),
        // Lotus Domino and Notes write "User not listed in Domino Directory" in the server's language (French "non
        // répertorié dans l'annuaire Domino", Japanese "Domino ディレクトリには見つかりません" / "ディレクトリのリストにありません").
        new(BounceReasons.UserUnknown, "Lotus Domino/Notes localised 'not listed in the Domino Directory'", ["dans l'annuaire domino", "ディレクトリには見つかりません",
            "ディレクトリのリストにありません", "invalid x.400 address", "recipient address reserved by rfc 2606",
            "single label domains not accepted"]),
        // The sending MTA found no usable route to the receiver (OpenSMTPD mta errors: "Address family mismatch on
        // destination MXs", "All routes to destination blocked", "Could not retrieve source address"); qmail's "Although I'm
        // listed as a best-preference MX or A for that host, it isn't in my control/locals file" is an MX that points at
        // a relay which does not know the domain.
        new(BounceReasons.NetworkError, "OpenSMTPD mta route errors, qmail-remote 'listed as a best-preference MX' (#5.4.6)", ["address family mismatch on destination",
            "all routes to destination blocked", "could not retrieve source address", "listed as a best-preference mx"]),
        // Exchange / Microsoft 365 recipients configured to take mail only from their own organisation or from listed
        // senders (Microsoft's NDR reference 5.7.12, 5.7.124, 5.7.129, 5.7.133-136): the sender is refused, although the
        // reply also says "authentication required".
        new(BounceReasons.Rejected, "Microsoft Exchange Online NDR reference 5.7.12/5.7.124/5.7.129/5.7.133-136", ["sender was not authenticated by organization",
            "sender was not authenticated for", "sender not authenticated for group", "sender not in allowed-senders list",
            "resolver.rst.sendernotauthenticated", "resolver.rst.restrictedtorecipientspermission"]),
        // Command-level refusals that also contain words of later entries ("protocol violation" is not a content policy):
        // Google 4.5.0 "SMTP protocol violation", 503 5.5.1 "MAIL first"/"RCPT first", Postfix "need MAIL command".
        new(BounceReasons.SyntaxError, "Google SMTP error reference 4.5.0/5.5.1, Postfix smtpd 'need MAIL command', RFC 4954 504 'unrecognized authentication type'", ["smtp protocol violation",
            "5.5.1 mail first", "5.5.1 rcpt first", "need mail command", "need rcpt command", "no identity changes permitted",
            "unrecognized authentication type"]),
        new(BounceReasons.MailboxFull, "Postfix virtual/local 'mailbox full', Dovecot 'quota exceeded', Exim appendfile, Gmail 5.2.2 'over quota', Microsoft 5.2.2", ["mailbox full", "mailbox is full", "mailbox has exceeded", "over quota", "overquota", "quota exceeded",
            "exceeded storage", "exceeded its quota", "exceeds its quota", "insufficient storage", "mailbox size limit", "disk quota",
            "mail box full", "mailbox was full", "is over its", "not enough storage", "full mailbox", "quota exceed", "exceed quota",
            "exceeded the quota", "storage allocation", "mailbox exceeds", "out of storage", "mailfolder is full", "inbox is full",
            "recipient's mailbox is full", "account is full", "no space left", "user has exceeded", "quota has been exceeded",
            "over its quota", "over the quota", "maildir over quota", "too many messages in the mailbox", "mailbox is over",
            "user is over", "has exceeded the storage", "exceeds storage", "account storage limit", "too much mail data", "boite pleine",
            "destinataire pleine", "exceeding their quota", "exceeding its mailbox quota", "mailbox quota", "allowed quota", "quota violation",
            "not have enough space", "exceeded the local limit", "space has been used up", "would exceed maximum allowed storage",
            "mail file size exceeds", "receiving limit", "too many messages on the server", "too many messages in mailbox",
            "too many messages in the inbox"]),
        new(BounceReasons.MesgTooBig, "Postfix 'message size exceeds fixed limit', Exim 'message too big', Gmail 5.3.4, RFC 3463 X.3.4", ["message too large", "message is too large", "message too big", "message is too big", "message size exceeds",
            "exceeds the maximum message size", "exceeds size limit", "message exceeds", "size exceeds", "exceeded maximum message size",
            "message length exceeds", "too large for", "size limit", "message size limit", "mail size", "exceeds maximum allowed message size",
            "larger than the maximum", "line limit exceeded", "maximum email size exceeded", "max message size", "inbound message size",
            "message file too big", "taille limite du message"]),
        new(BounceReasons.Suspend, Observed + "Suspend): Gmail 5.2.1 'account ... is disabled', QQ/NetEase 'suspended', vpopmail 'account is locked'", ["account disabled", "account has been disabled", "account is disabled", "mailbox disabled", "mailbox is disabled",
            "temporarily locked", "temporary locked", "account is locked", "account locked", "mailbox is inactive", "inactive account", "account inactive",
            "account is inactive", "is inactive", "deactivated", "account expired", "mailbox unavailable or inactive",
            "has been disabled", "is not active", "no longer active", "disabled recipient", "recipient disabled", "mailbox is frozen",
            "blocked mailbox", "account has been blocked", "recipient suspended", "user suspended", "is locked",
            "account suspended", "mailbox suspended", "has been suspended", "is suspended", "invalid/inactive user", "temporarily inactive",
            "recipient suspend the service", "disabled or discontinued", "boite du destinataire archivee", "tried to reach is disabled",
            "currently suspended", "unavailable or access denied", "mailbox cannot be accessed"]),
        new(BounceReasons.HasMoved, "Sendmail/qmail 'user has moved', RFC 3463 X.1.6", ["has moved", "no longer with", "address has changed", "moved to", "has been moved"]),
        new(BounceReasons.SecurityError, "Postfix 'Client host rejected: Access denied' for unauthenticated submission, Microsoft 5.7.57 'client was not authenticated'", ["delivery not authorized", "turn on smtp authentication", "unauthenticated senders", "authentication required", "authentication is required", "smtp auth",
            "incorrect authentication data", "username and password not accepted", "invalid credentials", "could not retrieve credentials",
            "cannot achieve exchange server authentication", "application-specific password required", "please log in with your web browser",
            "executable files are not allowed in compressed files"]),
        new(BounceReasons.NoRelaying, "Postfix 'Relay access denied', Sendmail 'Relaying denied', Exim 'relay not permitted', Microsoft 5.7.54 'Unable to relay'", ["relay access denied", "relaying denied", "relay not permitted", "not permitted to relay", "unable to relay",
            "relaying not allowed", "relay denied", "we do not relay", "not a gateway", "no relaying", "relaying is not allowed",
            "relaying prohibited", "relaying mail to", "relay not allowed", "unauthorized relay", "not allowed to relay",
            "relay prohibited", "configured to relay", "relay mail", "relay rejected", "relaying to", "open relay", "insecure mail relay",
            "as a relay", "rcpthosts", "not local host", "non-local e-mail address"]),
        // The recipient's own choices (delivery restrictions, block lists of senders): Exchange RESOLVER.RST.NotAuthorized,
        // AOL 'only accepting mail from specific email addresses'.
        new(BounceReasons.Filtered, Observed + "Filtered): recipient-side delivery restrictions", ["blocked by the recipient", "only accepting mail from",
            "resolver.rst.notauthorized", "not currently being accepted for this mailbox", "has restricted sms e-mail", "refused due to recipient preferences",
            "user reject", "account is protected by", "bounced address"]),
        new(BounceReasons.PolicyViolation, "AOL 'the recipient is not accepting mail with ...', Google Groups posting rules", ["not accepting mail with",
            "not subscribed to this group", "solving a captcha", "given low priority"]),
        // Refusals of the sender or of bounces (backscatter): BATV, unsigned DSNs, empty senders, unverified senders.
        new(BounceReasons.Rejected, "BATV and backscatter filters (SonicWall, MDaemon, SpamWall), Amazon SES 'Email address is not verified', Microsoft 'All recipient addresses rejected : Access denied'",
            ["batv", "no third-party dsns", "unsigned dsn", "backscatter protection", "returned mail not accepted", "does not accept mail from",
            "fully qualified email address required", "empty email address", "from: domain is invalid", "emetteur invalide",
            "address is not verified", "recipient addresses rejected : access denied", "senderfilterconfig", "valid-address-filter",
            "rule imposed mailbox access", "sender is spammer"]),
        // fml mailing-list manager refusals of a post (fml's own messages: "NOT MEMBER article from", "reject mail from",
        // "Spam mail from a spammer is rejected"): the list does not accept this sender; its own failures are system errors.
        new(BounceReasons.Rejected, "fml mailing-list manager (NOT MEMBER article, reject mail from)", ["not member article from", "spam mail from a spammer is rejected"]),
        new(BounceReasons.SystemError, "fml mailing-list manager ('fml system error message', loop alerts)", ["fml system error message", "loop alert:", "loop back warning:"]),
        new(BounceReasons.NotAccept, "RFC 7505 null MX, Sendmail 'host does not accept mail', Postfix 'MX ... indicated no SMTP service'", ["no mx", "couldn't find a mail exchanger", "no mail exchanger", "indicated no smtp service", "does not accept mail", "does not accept email", "accepts no mail", "null mx", "not accepting mail",
            "no mail accepted", "does not receive mail", "reject all mails", "doesn't accept mail", "inbounds disabled", "not accepting network messages", "no route for current request"]),
        new(BounceReasons.RequirePtr, "Postfix reject_unknown_client_hostname, Gmail 5.7.25, Microsoft 5.7.25, RFC 8314 practice", ["reverse dns", "reverse-dns", "ptr record", "no ptr", "rdns", "reverse lookup", "reverse hostname",
            "cannot find your hostname", "cannot resolve your", "resolve your address", "hostname for your ip", "unresolvable",
            "ip name lookup failed", "name lookup failed", "mismatches client", "unverifyable sending ip", "unverifiable sending ip", "client host name", "not resolvable", "reverse dns lookup",
            "does not have a ptr", "reverse mapping", "cannot find your reverse", "has no reverse", "no reverse"]),
        // Exchange Online directory-based edge blocking answers a missing recipient with 5.4.1 "Access denied"; the
        // resolver tokens are Exchange's own names for "recipient not found" (Exchange Online NDR reference).
        new(BounceReasons.UserUnknown, "Microsoft 365 NDR reference: 5.4.1 directory-based edge blocking, RESOLVER.ADR.RecipNotFound", ["recipient address rejected: access denied", "resolver.adr.recipnotfound", "resolver.adr.exrecipnotfound",
            "recipientnotfound", "recipient not found by smtp address lookup"]),
        new(BounceReasons.OnHold, "RFC 3463 practice: the receiver says it holds the message", ["on hold"]),
        // Postfix reject_rbl_client's own words name a DNS blocklist, whatever else the list's URL says ("reputation",
        // "spam"): the connecting IP is listed.
        new(BounceReasons.Blocked, "Postfix smtpd reject_rbl_client 'Client host [ip] blocked using <list>'", ["blocked using"]),
        new(BounceReasons.SpamDetected, "SpamAssassin/Amavis verdicts, Gmail 5.7.1 'likely unsolicited mail', Microsoft 5.7.1 'classified as spam'", ["spam classification", "classified as spam", "detected as spam", "considered spam", "considered as spam",
            "looks like spam", "message is spam", "content as spam", "identified as spam", "scored as spam", "likely unsolicited"]),
        // Content verdicts that also hold words of later entries ("blacklisted URL" is about the content, "spam or virus"
        // is a spam verdict, "URIBL policy" a spam list): SpamAssassin/SURBL wording, cPanel/Exim, MailMarshal, Cyberoam
        // (Sisimai's SpamDetected catalogue).
        new(BounceReasons.SpamDetected, Observed + "SpamDetected): content verdicts worded like other reasons", ["blacklisted url", "no spam please", "blocked by spamassassin",
            "bulk email", "content filter rejection", "spam or virus", "unacceptable content", "bulk.advertising", "banned content",
            "mass mailer", "uribl", "spam points", "probability of being spam", "spam-like", "antispam checks",
            "spam block", "spam filter"]),
        new(BounceReasons.AuthFailure, "RFC 7208/6376/7489 wording, Gmail 5.7.26, Microsoft 5.7.509/5.7.515, Yahoo 5.7.9", ["spf", "dkim", "dmarc", "sender policy framework", "does not meet the required authentication",
            "unauthenticated", "sender id", "authentication check", "not authenticated with", "failed authentication",
            "domainkeys", "authentication information", "authentication checks", "authentication failed for domain", "must authenticate", "failed to authenticate"]),
        new(BounceReasons.VirusDetected, "ClamAV/Amavis 'infected', Sophos/Trend Micro/Symantec gateway notices", ["virus", "malware", "infected", "trojan", "worm detected", "malicious", "potentially executable attachment"]),
        // Connection-count limits come before rate limits: "connection rate limit" is about connections.
        new(BounceReasons.TooManyConn, "Sendmail daemon.c 'too many SMTP sessions', Postfix anvil 'too many connections', Microsoft 4.7.652, RFC 3463 X.5.3 too many recipients", ["connection rate", "connection frequency", "too many connections", "too many concurrent", "connection limit", "maximum number of connections",
            "too many smtp sessions", "too many simultaneous", "exceeded the maximum number of connections", "connections from your ip",
            "too many open connections", "concurrent connections", "too many sessions", "concurrent sessions", "maximum connection",
            "connections per ip", "connection count", "trop de connexions", "too many recipients", "frequency limited", "session limit",
            "too many errors from your ip", "thread limit exceeded", "outbound thread limit"]),
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
            "server requires confirmation", "confirm this mail server", "hosts with dynamic ip"]),
        new(BounceReasons.SpamDetected, Observed + "SpamDetected): content filters' generic spam verdicts", ["spam", "junk mail", "unsolicited", "bulk mail", "bulk e-mail", "scored as", "content rejected",
            "message content", "looks like", "considered as", "classified as", "suspicious", "phish", "content denied"]),
        new(BounceReasons.PolicyViolation, "Gmail 5.7.1 'policy that prohibited', Yahoo PH01 'not accepted for policy reasons', Microsoft transport rules", ["content presents", "protocol violation", "policy violation", "policy reasons", "violates", "violation of", "local policy", "prohibited",
            "not accepted for policy", "policy rejection", "against policy", "our policy", "message policy", "by policy",
            "policy restriction", "policy rules", "organization policy", "organizational settings", "anti-spoofing policy", "illegal attachment", "header error",
            "due to security policies", "do not accept messages containing",
            "members-only list", "closed mailing list", "header are not accepted", "headers are not accepted",
            "messages with multiple addresses"]),
        new(BounceReasons.Rejected, "Postfix reject_unknown_sender_domain 'Sender address rejected', Exim callout 'sender verify failed', RFC 3463 X.1.7/X.1.8", ["sender address rejected", "sender rejected", "domain of sender", "sender verify failed", "unroutable sender",
            "sender verification failed", "envelope sender", "invalid sender", "sender domain", "sender address domain",
            "may not exist, or you may not have permission to post", "is not a registered gateway user", "null sender is not allowed",
            "empty envelope senders", "administrative prohibition", "envelope blocked", "not pre-approved"]),
        new(BounceReasons.HostUnknown, "Postfix 'Host or domain name not found', Sendmail 'Host unknown', Exim 'unrouteable mail domain', RFC 3463 X.1.2", ["host unknown", "host not found", "unknown host", "domain not found", "no such domain", "domain does not exist",
            "host or domain name not found", "name or service not known", "domain name not found", "unknown domain",
            "nxdomain", "lookup fail", "illegal host", "domain is not", "unrouteable", "unroutable", "invalid domain", "domain unknown",
            "does not resolve", "cannot be resolved", "not resolve", "bad destination host", "domain lookup failed",
            "dns lookup", "unknown mail domain", "host lookup did not complete", "domain must exist", "domain may not exist",
            "domain mentioned in email address is unknown", "dns records for the destination",
            "host address lookups failed permanently", "mx records point to non-existent hosts", "couldn't find any host",
            "domain doesnt exist", "nonexistent domain", "non-existent domain", "returned answer with no data"]),
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
            "delivery timeout", "wasn't able to establish an smtp connection", "did not accept our requests to connect"]),
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
            "access denied", "certificate", "unauthorized", "must be authenticated", "security error"]),
        // Protocol-level refusals: the client's command was wrong (RFC 5321 500/501/502/503/504 replies).
        new(BounceReasons.SyntaxError, "RFC 5321 500-504 replies: Postfix 'Command unrecognized', 'Bad sequence of commands', Sendmail 'Syntax error'", ["malformed address", "syntax error", "command unrecognized", "command not recognized", "unrecognized command", "bad command",
            "command not implemented", "bad sequence", "invalid command", "unknown command", "line too long", "unimplemented command",
            "parameter not implemented", "bad address syntax", "hello first", "helo first", "ehlo first", "nested too deep",
            "source-routed address", "expected word or"]),
        new(BounceReasons.ContentError, "RFC 3463 X.6.x media errors, Postfix 'message header' checks, 8BITMIME refusals", ["invalid header", "malformed", "message header", "8-bit", "8bit", "line too long", "content type",
            "mime", "charset", "bad header", "attachment", "improperly-formatted", "base64 encoding"]),
        // The receiving system itself failed: configuration, I/O, internal errors (RFC 3463 X.3.0/X.3.5).
        new(BounceReasons.SystemError, "Sendmail 'Operating system error', Postfix 'local configuration error', Exchange 'internal error', Exim 'mail system configuration error'", ["system error", "internal error", "operating system error", "server error", "local error", "i/o error",
            "configuration error", "system problem", "mail system problem", "server failure", "write error", "misconfigur", "local problem",
            "host not responding", "system config", "temporary local problem", "service currently unavailable", "interrupted system call",
            "error while being processed", "unable to process", "internal resources", "delivery to file forbidden",
            "delivery to pipe forbidden", "lmtp error after", "can't create user output file"]),
        new(BounceReasons.Filtered, Observed + "Filtered): the recipient's own rules refused the mail", ["filtered", "refused by the recipient", "rejected by recipient", "header filter", "user rules",
            "recipient preferences", "rejected by recipients", "blocked by the recipient", "not accepting any mail", "refuse to receive mail",
            "only accepting mail from", "domain filter"]),
    ];

    /// <summary>Words too vague to beat a status code, used only when nothing else is known.</summary>
    private static readonly LexiconEntry[] Vague =
    [
        new(BounceReasons.UserUnknown, "generic", ["not found", "unknown"]),
        new(BounceReasons.PolicyViolation, "generic", ["policy"]),
        new(BounceReasons.SecurityError, "generic", ["security", "not permitted"]),
        new(BounceReasons.Filtered, "generic", ["filter"]),
        new(BounceReasons.Rejected, "generic", ["not allowed", "reject", "refused", "denied"]),
    ];

    /// <summary>Reasons a phrase in the text reveals better than a generic status code can.</summary>
    private static readonly HashSet<string> Strong =
    [
        BounceReasons.MailerError, BounceReasons.MailboxFull, BounceReasons.Suspend, BounceReasons.NoRelaying, BounceReasons.NotAccept, BounceReasons.RequirePtr, BounceReasons.AuthFailure,
        BounceReasons.VirusDetected, BounceReasons.TooManyConn, BounceReasons.Speeding, BounceReasons.BadReputation, BounceReasons.Blocked, BounceReasons.SpamDetected, BounceReasons.PolicyViolation, BounceReasons.Expired,
        BounceReasons.HasMoved, BounceReasons.FailedStartTls, BounceReasons.SystemFull,
    ];

    /// <summary>Every phrase of every entry, searched for in one pass.</summary>
    private static readonly SearchValues<string> AllPhrases = SearchValues.Create(Entries.SelectMany(r => r.Phrases).Distinct().ToArray(), StringComparison.Ordinal);

    /// <summary>For each first character, the phrases starting with it and the position of their entry.</summary>
    private static readonly Dictionary<char, (string Phrase, int Rule)[]> ByFirstChar = Entries
        .SelectMany((rule, index) => rule.Phrases.Select(phrase => (Phrase: phrase, Rule: index)))
        .GroupBy(p => p.Phrase[0])
        .ToDictionary(g => g.Key, g => g.ToArray());

    /// <summary>The reason of the first entry (in priority order) with a phrase anywhere in the text.</summary>
    public static string? Match(string lowerText) => MatchEntry(lowerText)?.Reason;

    /// <summary>The first entry (in priority order) with a phrase anywhere in the text: its reason and source.</summary>
    public static LexiconEntry? MatchEntry(string lowerText)
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

        return best == int.MaxValue ? null : Entries[best];
    }

    public static string? MatchVague(string lowerText)
    {
        foreach (var entry in Vague)
        {
            foreach (var phrase in entry.Phrases)
            {
                if (lowerText.Contains(phrase, StringComparison.Ordinal))
                {
                    return entry.Reason;
                }
            }
        }

        return null;
    }

    public static bool OverridesStatus(string reason) => Strong.Contains(reason);
}
