using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Providers;

namespace Deliverability.Core.Delisting;

/// <summary>What a step shows and which operation finishes it.</summary>
public enum DelistingStepKind
{
    /// <summary>The block as the bounces (or the list's answer) show it: first time, codes.</summary>
    FindError,

    /// <summary>The IP's open remediation items; moving on with items open needs a confirmation.</summary>
    FixCauses,

    /// <summary>The latest Sender Score, wanted above 85.</summary>
    SenderScore,

    /// <summary>The latest SPF, DKIM, DMARC, PTR and FCrDNS results.</summary>
    Authentication,

    /// <summary>SNDS and JMRP registration; verified by SNDS data imported for the IP.</summary>
    SndsRegistration,

    /// <summary>Something the user does elsewhere and confirms here.</summary>
    Manual,

    /// <summary>The copy-ready request text.</summary>
    PrepareRequest,

    /// <summary>Finished by recording the submission (date, ticket number when the process gives one).</summary>
    Submission,

    /// <summary>Finished by recording the provider's decision; shows the due times.</summary>
    TrackReplies,

    /// <summary>The escalation reply after a refusal; skipped by itself after a positive decision.</summary>
    Escalation,

    /// <summary>The list's latest check must pass.</summary>
    ConfirmDelisting,

    /// <summary>Finished by recording the outcome, which resolves the case.</summary>
    Outcome,
}

/// <summary>One step of a process: what to do, why, and where.</summary>
public sealed record DelistingStepDefinition(string Key, string Title, DelistingStepKind Kind, string Guidance, string? Link = null, string? LinkText = null);

/// <summary>
/// The answer times a process promises, measured from the submission (first reply, decision) and from a positive decision
/// (unblock). Null where the provider publishes none.
/// </summary>
public sealed record ReplyTimings(TimeSpan? FirstReply, TimeSpan? Decision, TimeSpan? UnblockAfterPositive);

/// <summary>A provider's or list's delisting process as ordered steps.</summary>
public sealed record DelistingProcess(
    string Target,
    string Name,
    string Summary,
    IReadOnlyList<DelistingStepDefinition> Steps,
    ReplyTimings Timings,
    bool TicketRequired,
    string? SubmitUrl)
{
    public DelistingStepDefinition? Step(string key) => Steps.FirstOrDefault(s => s.Key == key);

    public bool HasStep(DelistingStepKind kind) => Steps.Any(s => s.Kind == kind);
}

/// <summary>
/// The delisting processes as data, keyed by target (provider key or "blocklist:&lt;zone&gt;"). Sources: the provider knowledge
/// base (docs: mailbox-providers.md, sections B, C and D).
/// </summary>
public static class DelistingProcesses
{
    public const string Outlook = "outlook.com";
    public const string Microsoft365 = "microsoft365";
    public const string Gmail = "gmail";
    public const string Yahoo = "yahoo";
    public const string BlocklistPrefix = "blocklist:";

    public const string SndsUrl = "https://substrate.office.com/ip-domain-management-snds/";
    public const string JmrpUrl = "https://substrate.office.com/ip-domain-management-snds/SNDS/Jmrp";
    public const string OutlookTroubleshootingUrl = "https://sendersupport.olc.protection.outlook.com/pm/troubleshooting.aspx";
    public const string GmailPostmasterToolsUrl = "https://postmaster.google.com/";
    public const string GmailSenderGuidelinesUrl = "https://support.google.com/mail/answer/81126";
    public const string YahooBestPracticesUrl = "https://senders.yahooinc.com/best-practices/";

    /// <summary>
    /// Outlook.com sends an automatic acknowledgement with the ticket number at once; the first real (templated) answer is
    /// reported to come in about 24-48 hours (knowledge base B.1), so the first reply is due 24 hours after submitting. The
    /// mitigation decision is expected within 48 hours, and the unblock within 24 hours of a positive answer.
    /// </summary>
    public static readonly ReplyTimings OutlookTimings = new(TimeSpan.FromHours(24), TimeSpan.FromHours(48), TimeSpan.FromHours(24));

    /// <summary>Microsoft 365: the portal delists within 24 hours; the 5.7.511 mailbox answers within 48 hours (B.2).</summary>
    public static readonly ReplyTimings Microsoft365Timings = new(null, TimeSpan.FromHours(48), TimeSpan.FromHours(24));

    private static readonly ReplyTimings NoTimings = new(null, null, null);

    public static IReadOnlyList<string> ProviderTargets { get; } = [Outlook, Microsoft365, Gmail, Yahoo];

    /// <summary>The process for a target, or null when there is none (unknown provider or list).</summary>
    public static DelistingProcess? For(string target) => target switch
    {
        Outlook => OutlookProcess,
        Microsoft365 => Microsoft365Process,
        Gmail => GmailProcess,
        Yahoo => YahooProcess,
        _ when target.StartsWith(BlocklistPrefix, StringComparison.Ordinal) && BlocklistCatalogue.Find(target[BlocklistPrefix.Length..]) is { } zone
            => BlocklistProcess(zone),
        _ => null,
    };

    /// <summary>"outlook.com" → "Outlook.com", "blocklist:zen.spamhaus.org" → "Spamhaus ZEN".</summary>
    public static string TargetName(string target) => For(target)?.Name ?? target;

    public static bool IsBlocklist(string target) => target.StartsWith(BlocklistPrefix, StringComparison.Ordinal);

    private static readonly DelistingStepDefinition FixCauses = new("fix-causes", "Fix the causes", DelistingStepKind.FixCauses,
        "Work through the IP's remediation checklist first. Asking before the cause is fixed makes the review harder: a refused request "
        + "is slower to reopen than a late one.", "/ips/{ip}", "Remediation checklist on the IP page");

    private static readonly DelistingStepDefinition Authentication = new("authentication", "SPF, DKIM, DMARC and PTR pass", DelistingStepKind.Authentication,
        "Every domain the IP sends for passes SPF and DKIM and publishes DMARC; the IP has a PTR whose name resolves back to it (FCrDNS). "
        + "Reviewers check these first.");

    private static readonly DelistingStepDefinition OutcomeStep = new("outcome", "Outcome", DelistingStepKind.Outcome,
        "Record how it ended: unblocked, denied, or withdrawn. The case is then resolved; a new block by the same target reopens it.");

    private static readonly DelistingProcess OutlookProcess = new(Outlook, "Outlook.com",
        "Consumer mailboxes (outlook.com, hotmail, live, msn). Blocks such as S3150, S3140, SC-xxx and OU-002 are lifted through Microsoft's sender support form.",
        [
            new("find-error", "Find the error", DelistingStepKind.FindError,
                "When did Outlook.com start refusing the IP, and with which codes? Filled in from the bounces; check it against your MTA logs."),
            FixCauses,
            new("sender-score", "Sender Score above 85", DelistingStepKind.SenderScore,
                "A Sender Score above 85 shows a reputation reviewers can accept. Lower scores usually mean the cause is not fixed yet.",
                "https://www.senderscore.org/", "senderscore.org"),
            Authentication,
            new("snds-jmrp", "Register SNDS and JMRP", DelistingStepKind.SndsRegistration,
                "Register the IP range in SNDS (delivery data and Outlook.com's view of the IP) and join JMRP (a copy of each message users mark as junk). "
                + "Recommended from about 100 messages a day to Outlook.com users; SNDS access must be re-attested every 10 months. "
                + "Confirmed once an SNDS export for the IP is uploaded.",
                SndsUrl, "SNDS and JMRP portal"),
            new("prepare-request", "Prepare the request", DelistingStepKind.PrepareRequest,
                "Copy the text below into the sender support form. It names the IP, the error, when it started, what was fixed, and carries a bounced message with its full headers.",
                ProviderCodeCatalog.OutlookSenderSupportUrl, "Outlook.com sender support form"),
            new("submit", "Record the submission", DelistingStepKind.Submission,
                "After sending the form, Microsoft mails an acknowledgement with a ticket number. Record the date and that number: every later answer refers to it."),
            new("track-replies", "Track the answers", DelistingStepKind.TrackReplies,
                "Microsoft answers from templates: first an acknowledgement, then either \"mitigated\" or \"does not qualify for mitigation\". "
                + "Record when each came; the due times turn red when Microsoft is late."),
            new("escalate", "If denied: ask for escalation", DelistingStepKind.Escalation,
                "A reply to the ticket saying that the block persists, with what was fixed, can reach a person. Send the template below as a reply to Microsoft's answer."),
            OutcomeStep,
        ],
        OutlookTimings, TicketRequired: true, ProviderCodeCatalog.OutlookSenderSupportUrl);

    private static readonly DelistingProcess Microsoft365Process = new(Microsoft365, "Microsoft 365",
        "Exchange Online tenants (5.7.606-649 \"banned sending IP\"): self-service delist portal. 5.7.511 \"banned sender\" cannot use the portal: "
        + "the bounce goes by mail to delist@messaging.microsoft.com instead. This list is separate from Outlook.com's.",
        [
            new("find-error", "Find the error", DelistingStepKind.FindError,
                "Which code did Microsoft 365 give? 5.7.606 to 5.7.649 go to the delist portal; 5.7.511 goes by mail to delist@messaging.microsoft.com."),
            FixCauses,
            Authentication,
            new("prepare-request", "Prepare the request", DelistingStepKind.PrepareRequest,
                "Portal (5.7.606-649): enter the recipient address the bounce was sent for and the IP, one of each per visit, open the confirmation mail's link, then click Delist IP. "
                + "For 5.7.511, forward the whole bounce with the text below to delist@messaging.microsoft.com.",
                ProviderCodeCatalog.Microsoft365DelistUrl, "Microsoft 365 delist portal (sender.office.com)"),
            new("submit", "Record the submission", DelistingStepKind.Submission,
                "Record when you delisted in the portal or mailed the delist address, and any reference Microsoft gave."),
            new("track-replies", "Track the delisting", DelistingStepKind.TrackReplies,
                "The portal says removal may take up to 24 hours; the delist mailbox answers within 48 hours. Record the answer when it comes."),
            OutcomeStep,
        ],
        Microsoft365Timings, TicketRequired: false, ProviderCodeCatalog.Microsoft365DelistUrl);

    private static readonly DelistingProcess GmailProcess = new(Gmail, "Gmail",
        "Gmail has no delisting form: fix the cause, watch Postmaster Tools until the reputation recovers; fully compliant bulk senders may use the sender contact form.",
        [
            new("find-error", "Find the error", DelistingStepKind.FindError,
                "Which 4.7.x / 5.7.x code did Gmail give? Gmail codes name the problem (authentication, PTR, rate, reputation)."),
            FixCauses,
            Authentication,
            new("postmaster-tools", "Watch Postmaster Tools", DelistingStepKind.Manual,
                "Verify the sending domain in Postmaster Tools and follow the spam rate: keep it below 0.1%. At 0.3% or more a bulk sender gets no mitigation "
                + "until the rate stays below 0.3% for 7 days in a row.",
                GmailPostmasterToolsUrl, "Gmail Postmaster Tools"),
            new("sender-contact", "Contact Gmail (bulk senders)", DelistingStepKind.PrepareRequest,
                "Only for bulk senders meeting every requirement of the sender guidelines: describe the problem in the sender contact form with the text below. "
                + "Others: skip this step and wait for the reputation to recover.",
                ProviderCodeCatalog.GmailSenderContactUrl, "Gmail sender contact form"),
            new("submit", "Record the submission", DelistingStepKind.Submission,
                "Record when you sent the form (Gmail gives no ticket number)."),
            OutcomeStep,
        ],
        NoTimings, TicketRequired: false, ProviderCodeCatalog.GmailSenderContactUrl);

    private static readonly DelistingProcess YahooProcess = new(Yahoo, "Yahoo",
        "Yahoo and AOL: fix the cause; if the deferral (TS*) or block persists, send a Sender Support Request from the Sender Hub.",
        [
            new("find-error", "Find the error", DelistingStepKind.FindError,
                "Which bracket code did Yahoo give (TSS04, TSS09, BL21 ...)? BL2x codes are Spamhaus listings: open a case for Spamhaus ZEN instead."),
            FixCauses,
            Authentication,
            new("prepare-request", "Prepare the request", DelistingStepKind.PrepareRequest,
                "Open the Sender Support Request form on Yahoo's Sender Hub and paste the text below.",
                ProviderCodeCatalog.YahooSenderHubUrl, "Yahoo Sender Hub"),
            new("submit", "Record the submission", DelistingStepKind.Submission,
                "Record when you sent the request and the reference Yahoo gave, if any."),
            new("track-replies", "Track the answers", DelistingStepKind.TrackReplies,
                "Yahoo publishes no answer times; record the answer when it comes."),
            OutcomeStep,
        ],
        NoTimings, TicketRequired: false, ProviderCodeCatalog.YahooSenderHubUrl);

    private static DelistingProcess BlocklistProcess(BlocklistZone zone) => new(BlocklistPrefix + zone.Zone, zone.Name,
        $"{zone.Name} lists {zone.Lists}. Removal: {zone.RemovalUrl}",
        [
            new("listing", "Read the listing", DelistingStepKind.FindError,
                "The list's answer for the IP and what that return code means, from the latest check."),
            FixCauses,
            new("request-removal", "Request removal", DelistingStepKind.Manual,
                $"Once the cause is fixed, ask {zone.Name} to remove the IP at its removal page. Some lists expire listings by themselves when the traffic stops.",
                zone.RemovalUrl, $"{zone.Name} removal"),
            new("confirm-delisting", "Confirm the delisting", DelistingStepKind.ConfirmDelisting,
                "Run the checks again (\"Check now\" on the Sending IPs page): the list's check must pass."),
            OutcomeStep,
        ],
        NoTimings, TicketRequired: false, zone.RemovalUrl);
}
