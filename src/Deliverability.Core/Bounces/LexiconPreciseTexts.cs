namespace Deliverability.Core.Bounces;

/// <summary>
/// The first part of the reason lexicon, in priority order: precise texts that also hold words of the broad families
/// below them (a program's exit, TLS, RFC 5322 form, a header over its limit, rate and quota wording of sending
/// services, system resources, directory faults, mailbox full, size, suspended and moved accounts, relaying, sender
/// refusals by recipients' settings, null MX, reverse DNS, Exchange's directory edge blocking).
/// </summary>
internal static class LexiconPreciseTexts
{
    private const string Observed = ReasonLexicon.Observed;

    public static readonly LexiconEntry[] Entries =
    [
        // A local delivery program failed: the MTA quotes the program or its exit status.
        new(BounceReasons.MailerError, "Sendmail/Postfix local(8) and pipe(8), Exim pipe transport, procmail", ["command died with status", "command failed:", "mail delivery program", "procmail", "unknown mailer error", "command output:",
            "pipe to |", "exec /", "mailer error", "x-unix;", "local delivery failed", "delivery to a program"]),
        // fml mailing-list manager refusals of a post (fml's own messages: "NOT MEMBER article from", "reject mail from",
        // "Spam mail from a spammer is rejected"): the list does not accept this sender; its own failures are system errors.
        // fml names the kind of failure in its headline; the detail under it (a full disk, a loop) is the list's own
        // trouble, not the recipient's mailbox, so the headline comes before every other entry.
        new(BounceReasons.Rejected, "fml mailing-list manager (NOT MEMBER article, reject mail from)", ["not member article from", "spam mail from a spammer is rejected"]),
        new(BounceReasons.SystemError, "fml mailing-list manager ('fml system error message', loop alerts)", ["fml system error message", "loop alert:", "loop back warning:"]),
        new(BounceReasons.FailedStartTls, "Postfix smtpd 'must issue a STARTTLS command first', Google 'TLS required', RFC 3207", ["support tls", "starttls", "tls required", "requires tls", "must use tls", "tls is required", "encryption required",
            "tls negotiation", "requires encryption (tls)", "route requires tls"]),
        new(BounceReasons.NotCompliantRfc, "Gmail 5.7.1 RFC 5322 guidelines, Amavis 'bad header', Yahoo policy rejections", ["rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "rfc 822", "rfc822 ", "not rfc compliant", "multiple from",
            "duplicate header", "not compliant", "rfc-compliant", "rfc compliant", "too many \"from\"", "missing from",
            "missing date", "missing message-id", "multiple addresses in from"]),
        // A header block over the receiver's limit is a defect of the message's form, not of its size (Postfix
        // header_size_limit, Exim "message header too big", Sendmail MaxHeadersLength).
        new(BounceReasons.ContentError, "Postfix header_size_limit, Exim 'header too big', Sendmail MaxHeadersLength", ["header size exceed", "headers exceed", "header too big",
            "header too large", "headers too large", "header is too large", "header length exceeds"]),
        // A message that has passed through too many hosts is refused for its header count (Exim receive.c
        // received_headers_max: 'Too many "Received" headers - suspected mail loop'); the words "mail loop" that follow
        // are the MTA's guess, the refusal is of the message's form (Sisimai's ContentError catalogue reads it the same way).
        new(BounceReasons.ContentError, "Exim receive.c 'Too many \"Received\" headers - suspected mail loop'", ["too many \"received\" headers", "too many received headers",
            "too many received: headers"]),
        // Exchange's store driver refuses a message it cannot store: "554 5.6.0 STOREDRV.Deliver; Corrupt message content"
        // (RFC 3463 X.6.0 media error); the words "message content" are not a spam verdict here.
        new(BounceReasons.ContentError, "Exchange STOREDRV.Deliver 'Corrupt message content' (5.6.0)", ["corrupt message content", "storedrv.deliver; corrupt"]),
        // Exchange Online's queue expiry: "550 4.4.7 Message expired: unable to deliver in 1440 minutes." wraps the last
        // answer ("<451 4.4.0 Primary target IP address responded with: ...>", Exchange Online NDR reference 4.4.7 and
        // 4.4.0/4.4.316): the retry period ran out, and "IP address" there is the target's, not a block of ours.
        new(BounceReasons.Expired, "Exchange Online NDR reference 4.4.7 'Message expired: unable to deliver in N minutes'", ["message expired: unable to deliver in", "queue.expired"]),
        new(BounceReasons.NetworkError, "Exchange Online NDR reference 4.4.0/4.4.316 'Primary target IP address responded with'", ["primary target ip address responded with"]),
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
        // Answers to a DNS lookup that may succeed later: Sendmail's TRY_AGAIN ("Name server: x: host name lookup failure",
        // "Name server timeout"), Courier esmtpclient.c's soft_error "DNS lookup failed.": the domain was not proven
        // missing, so they are not the "lookup fail" of a host unknown.
        new(BounceReasons.NetworkError, "Sendmail DNS TRY_AGAIN answers 'host name lookup failure', 'Name server timeout', Courier esmtpclient.c soft_error 'DNS lookup failed.'", ["host name lookup failure", "name server timeout",
            "dns lookup failed."]),
        // Exchange / Microsoft 365 recipients configured to take mail only from their own organisation or from listed
        // senders (Microsoft's NDR reference 5.7.12, 5.7.124, 5.7.129, 5.7.133-136): the sender is refused, although the
        // reply also says "authentication required".
        new(BounceReasons.Rejected, "Microsoft Exchange Online NDR reference 5.7.1 'Delivery not authorized, message refused' (RESOLVER.RST.NotAuthorized), 5.7.12/5.7.124/5.7.129/5.7.133-136, 5.7.750 unregistered domains", ["sender was not authenticated by organization",
            "sender was not authenticated for", "sender not authenticated for group", "sender not in allowed-senders list",
            "resolver.rst.sendernotauthenticated", "resolver.rst.restrictedtorecipientspermission",
            "sender was not authenticated", "sending from unregistered domains", "delivery not authorized, message refused"]),
        // Command-level refusals that also contain words of later entries ("protocol violation" is not a content policy):
        // Google 4.5.0 "SMTP protocol violation", 503 5.5.1 "MAIL first"/"RCPT first", Postfix "need MAIL command".
        new(BounceReasons.SyntaxError, "Google SMTP error reference 4.5.0/5.5.1, Postfix smtpd 'need MAIL command', RFC 4954 504 'unrecognized authentication type', Google 5.7.0 'Too many unauthenticated commands'", ["smtp protocol violation",
            "5.5.1 mail first", "5.5.1 rcpt first", "mail first", "rcpt first", "need mail command", "need rcpt command", "no identity changes permitted",
            "unrecognized authentication type", "too many unauthenticated commands"]),
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
        LexiconLocalisedTexts.MailboxFull,
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
        LexiconLocalisedTexts.Suspend,
        new(BounceReasons.HasMoved, "Sendmail/qmail 'user has moved', RFC 3463 X.1.6", ["has moved", "no longer with", "address has changed", "moved to", "has been moved"]),
        // Sendmail's proto.m4 check_rcpt when AUTH is offered: "550 5.7.1 <x>... Relaying denied. Proper authentication
        // required." refuses the relay; the authentication words it holds are the way out, not the reason.
        new(BounceReasons.NoRelaying, "Sendmail proto.m4 'Relaying denied. Proper authentication required.'", ["relaying denied. proper authentication required"]),
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
        // Family readings of a refusal worded like a missing user: Lotus Domino's router "Cannot route mail to user" (the
        // person document exists, its mail routing refuses) and Biglobe's "Mail Delivery Failed... User unknown" (its
        // recipients' reception filter); Sisimai's Domino and Biglobe modules read them the same way.
        new(BounceReasons.Filtered, "Lotus Domino router 'Cannot route mail to user', Biglobe 'Mail Delivery Failed... User unknown'", ["cannot route mail to user",
            "mail delivery failed... user unknown"]),
        new(BounceReasons.PolicyViolation, "AOL 'the recipient is not accepting mail with ...', Google Groups posting rules", ["not accepting mail with",
            "not subscribed to this group", "solving a captcha", "given low priority"]),
        // Refusals of the sender or of bounces (backscatter): BATV, unsigned DSNs, empty senders, unverified senders.
        new(BounceReasons.Rejected, "BATV and backscatter filters (SonicWall, MDaemon, SpamWall), Amazon SES 'Email address is not verified', Microsoft 'All recipient addresses rejected : Access denied'",
            ["batv", "no third-party dsns", "unsigned dsn", "backscatter protection", "returned mail not accepted", "does not accept mail from",
            "fully qualified email address required", "empty email address", "from: domain is invalid", "emetteur invalide",
            "address is not verified", "recipient addresses rejected : access denied", "senderfilterconfig", "valid-address-filter",
            "rule imposed mailbox access", "sender is spammer"]),
        new(BounceReasons.NotAccept, "RFC 7505 null MX, Sendmail 'host does not accept mail', Postfix 'MX ... indicated no SMTP service'", ["no mx", "couldn't find a mail exchanger", "no mail exchanger", "indicated no smtp service", "does not accept mail", "does not accept email", "accepts no mail", "null mx", "not accepting mail",
            "no mail accepted", "does not receive mail", "reject all mails", "doesn't accept mail", "inbounds disabled", "not accepting network messages", "no route for current request",
            "no host found for existing smtp connection"]),
        new(BounceReasons.RequirePtr, "Postfix reject_unknown_client_hostname, Gmail 5.7.25, Microsoft 5.7.25, RFC 8314 practice", ["reverse dns", "reverse-dns", "ptr record", "no ptr", "rdns", "reverse lookup", "reverse hostname",
            "cannot find your hostname", "cannot resolve your", "resolve your address", "hostname for your ip", "unresolvable",
            "ip name lookup failed", "name lookup failed", "mismatches client", "unverifyable sending ip", "unverifiable sending ip", "client host name", "not resolvable", "reverse dns lookup",
            "does not have a ptr", "reverse mapping", "cannot find your reverse", "has no reverse", "no reverse"]),
        // Exchange Online directory-based edge blocking answers a missing recipient with 5.4.1 "Access denied"; the
        // resolver tokens are Exchange's own names for "recipient not found" (Exchange Online NDR reference).
        new(BounceReasons.UserUnknown, "Microsoft 365 NDR reference: 5.4.1 directory-based edge blocking, RESOLVER.ADR.RecipNotFound", ["recipient address rejected: access denied", "resolver.adr.recipnotfound", "resolver.adr.exrecipnotfound",
            "recipientnotfound", "recipient not found by smtp address lookup"]),
    ];
}
