using Deliverability.Core.Checks;
using Deliverability.Core.Delisting;

namespace Deliverability.Core.Tests.Delisting;

/// <summary>
/// "Claims are checked": the request and escalation texts are built from the evidence the case page shows, and say nothing
/// that evidence does not support, whatever state the IP is in.
/// </summary>
public class DelistingRequestTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset CheckedAt = Now.AddHours(-1);
    private const string Ip = "192.0.2.25";

    private static readonly string[] AllClaimKinds = ["Sender Score above 85", "SPF, DKIM, DMARC and PTR pass", "Register SNDS and JMRP"];

    private static DelistingCase OutlookCase(string? ticket = null)
    {
        var process = DelistingProcesses.For(DelistingProcesses.Outlook)!;
        return new DelistingCase
        {
            Target = process.Target,
            OpenedBy = "operator",
            OpenedAt = Now.AddDays(-1),
            BlockCodes = "S3150",
            FirstBlockAt = Now.AddDays(-1).AddHours(-3),
            TicketNumber = ticket,
            DecisionPositive = ticket is null ? null : false,
            Steps = process.Steps.Select((s, i) => new DelistingStep { Position = i + 1, Key = s.Key, Kind = s.Kind, Title = s.Title }).ToList(),
        };
    }

    private static DelistingCheckLine Check(string check, string target, CheckStatus status, string summary) => new(check, target, status, summary, CheckedAt);

    private static IReadOnlyList<DelistingCheckLine> Authentication(CheckStatus status) =>
    [
        Check("spf", "example.com", status, $"SPF {status}"),
        Check("dkim", "example.com:s1", status, $"DKIM {status}"),
        Check("dmarc", "example.com", status, $"DMARC {status}"),
        Check("ptr", Ip, status, $"PTR {status}"),
        Check("fcrdns", Ip, status, $"FCrDNS {status}"),
    ];

    /// <summary>Every remediation item done, every check passing, a Sender Score of 91, SNDS data imported.</summary>
    private static DelistingEvidence AllFixed() => new(
        [], ["Secure the compromised account", "Publish a PTR record"], CheckedAt, Authentication(CheckStatus.Pass),
        Check("senderscore", Ip, CheckStatus.Pass, "Sender Score 91/100: healthy."), 91, null, 12);

    /// <summary>The incident of issue 11: 8 items open, SPF/DKIM/DMARC/PTR failing, no Sender Score, no SNDS data.</summary>
    private static DelistingEvidence EightOpen() => new(
        [
            new("Secure the compromised account sasl user newsletter@example.com", "Reset the password."),
            new("Fix SPF for example.com", "Publish an SPF record that includes the IP."),
            new("Fix DKIM for example.com", "Publish the selector's key."),
            new("Publish DMARC for example.com", "Publish a DMARC record."),
            new("Publish a PTR record for the IP", "Ask the IP's owner for a PTR."),
            new("Make the PTR name resolve back to the IP", "Add an A record."),
            new("Stop the complaint spike", "Suppress complainers."),
            new("Slow down after the block", "Lower the sending rate."),
        ],
        [], CheckedAt, Authentication(CheckStatus.Fail),
        Check("senderscore", Ip, CheckStatus.Unknown, "No Sender Score: not enough recent volume."), null, null, 0);

    /// <summary>A new IP nobody has checked: no checklist item because nothing was looked at.</summary>
    private static DelistingEvidence NeverChecked() => DelistingEvidence.None;

    public static TheoryData<string> States => ["all fixed", "eight open", "never checked", "eight open, authentication overridden"];

    private static (DelistingCase Case, DelistingEvidence Evidence) State(string name)
    {
        var delistingCase = OutlookCase();
        var evidence = name switch
        {
            "all fixed" => AllFixed(),
            "never checked" => NeverChecked(),
            _ => EightOpen(),
        };
        if (name.EndsWith("overridden", StringComparison.Ordinal))
        {
            var step = delistingCase.StepOf(DelistingStepKind.Authentication)!;
            step.State = DelistingStepState.Overridden;
            step.DoneBy = "alice@example.com";
            step.DoneAt = Now;
            step.OverrideReason = "SPF was fixed an hour ago, DNS caches still hold the old record";
        }

        return (delistingCase, evidence);
    }

    [Theory]
    [MemberData(nameof(States))]
    public void RequestAndEscalation_SayNothingTheEvidenceDoesNotSupport(string state)
    {
        var (delistingCase, evidence) = State(state);
        delistingCase.TicketNumber = "SRX1";
        var process = DelistingProcesses.For(DelistingProcesses.Outlook)!;

        foreach (var text in new[]
                 {
                     DelistingRequestText.Request(Ip, process, delistingCase, null, evidence),
                     DelistingRequestText.Escalation(Ip, process, delistingCase, evidence),
                 })
        {
            AssertSupported(text, delistingCase, evidence);
        }
    }

    [Fact]
    public void Request_WithEightOpenItems_NamesEachOpenItemAndTheFailingChecks()
    {
        var (delistingCase, evidence) = State("eight open");

        var text = DelistingRequestText.Request(Ip, DelistingProcesses.For(DelistingProcesses.Outlook)!, delistingCase, null, evidence);

        Assert.Contains("Still open on our side (8 items of our remediation checklist):", text, StringComparison.Ordinal);
        Assert.Contains("- Secure the compromised account sasl user newsletter@example.com", text, StringComparison.Ordinal);
        Assert.Contains("- SPF, DKIM, DMARC and PTR pass: not confirmed. 0 of 5 checks pass; not passing: spf example.com, dkim example.com:s1, dmarc example.com, ptr 192.0.2.25, fcrdns 192.0.2.25", text, StringComparison.Ordinal);
        Assert.Contains("- Sender Score above 85: not confirmed. Sender Score unknown", text, StringComparison.Ordinal);
        Assert.DoesNotContain("no open", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("What we fixed", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Request_WhenAllIsFixedAndChecked_ListsTheFixesAndSaysTheChecklistIsClear()
    {
        var (delistingCase, evidence) = State("all fixed");

        var text = DelistingRequestText.Request(Ip, DelistingProcesses.For(DelistingProcesses.Outlook)!, delistingCase, null, evidence);

        Assert.Contains("What we fixed before writing:\n- Secure the compromised account\n- Publish a PTR record\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Our remediation checklist for this IP has no open item (latest checks 1 Dec 2026 11:00 UTC).", text, StringComparison.Ordinal);
        Assert.Contains("- SPF, DKIM, DMARC and PTR pass: yes. All 5 checks pass", text, StringComparison.Ordinal);
        Assert.Contains("- Sender Score above 85: yes. Sender Score 91/100", text, StringComparison.Ordinal);
        Assert.Contains("- Register SNDS and JMRP: yes. SNDS data for this IP is imported (12 days).", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Still open", text, StringComparison.Ordinal);
        Assert.Empty(DelistingRequestText.Warnings(delistingCase, evidence));
    }

    [Fact]
    public void Request_WhenTheIpWasNeverChecked_ClaimsNoCleanChecklistAndSaysWhatIsNotVerified()
    {
        var (delistingCase, evidence) = State("never checked");

        var text = DelistingRequestText.Request(Ip, DelistingProcesses.For(DelistingProcesses.Outlook)!, delistingCase, null, evidence);

        Assert.DoesNotContain("no open item", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(": yes.", text, StringComparison.Ordinal);
        Assert.Contains("Not verified yet: we have not run our DNS checks (SPF, DKIM, DMARC, PTR, blocklists) on this IP.", text, StringComparison.Ordinal);
        Assert.Contains(DelistingRequestText.Warnings(delistingCase, evidence), w => w.StartsWith("The IP has never been checked", StringComparison.Ordinal));
    }

    [Fact]
    public void Request_WithAnOverriddenStep_NamesItAsOverriddenWithWhoAndWhy()
    {
        var (delistingCase, evidence) = State("eight open, authentication overridden");

        var text = DelistingRequestText.Request(Ip, DelistingProcesses.For(DelistingProcesses.Outlook)!, delistingCase, null, evidence);

        Assert.Contains("Marked done by us although our checks do not confirm it (overridden):", text, StringComparison.Ordinal);
        Assert.Contains("- SPF, DKIM, DMARC and PTR pass: overridden by alice@example.com on 1 Dec 2026 12:00 UTC because \"SPF was fixed an hour ago, DNS caches still hold the old record\". Our records: 0 of 5 checks pass", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SPF, DKIM, DMARC and PTR pass: yes", text, StringComparison.Ordinal);
        Assert.Contains(DelistingRequestText.Warnings(delistingCase, evidence), w => w.StartsWith("Overridden: \"SPF, DKIM, DMARC and PTR pass\"", StringComparison.Ordinal));
    }

    /// <summary>
    /// Each statement of the text about the IP's side has to follow from the evidence: the fixed list is exactly the done items,
    /// the open list exactly the open ones, "no open item" only with a clear checklist from checks that ran, "yes" only for a
    /// verified claim, and an overridden step is never presented as confirmed.
    /// </summary>
    private static void AssertSupported(string text, DelistingCase delistingCase, DelistingEvidence evidence)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        Assert.DoesNotContain("no open problem", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(evidence.Fixes, Bullets(lines, l => l.StartsWith("What we fixed", StringComparison.Ordinal) || l.StartsWith("Since the block we have fixed", StringComparison.Ordinal)));
        Assert.Equal(evidence.OpenItems.Select(i => i.Title), Bullets(lines, l => l.StartsWith("Still open on our side", StringComparison.Ordinal)));
        Assert.Equal(evidence.ChecklistClear, text.Contains("has no open item", StringComparison.Ordinal));

        foreach (var step in delistingCase.Steps.Where(s => AllClaimKinds.Contains(s.Title)))
        {
            var claim = DelistingClaims.Judge(step.Kind, evidence)!;
            var saysYes = text.Contains($"- {step.Title}: yes.", StringComparison.Ordinal);
            Assert.True(!saysYes || (claim.IsVerified && step.State != DelistingStepState.Overridden), $"\"{step.Title}\" is claimed although {claim.Evidence}");
            Assert.Equal(step.State == DelistingStepState.Overridden, text.Contains($"- {step.Title}: overridden by", StringComparison.Ordinal));
        }

        var warnings = DelistingRequestText.Warnings(delistingCase, evidence);
        Assert.Equal(evidence.OpenItems.Count > 0 || evidence.ChecksRunAt is null || delistingCase.Steps.Any(s => s.State == DelistingStepState.Overridden), warnings.Count > 0);
    }

    /// <summary>The "- " lines under the first heading <paramref name="heading"/> matches, up to the next blank line.</summary>
    private static List<string> Bullets(string[] lines, Func<string, bool> heading)
    {
        var start = Array.FindIndex(lines, l => heading(l));
        return start < 0 ? [] : lines.Skip(start + 1).TakeWhile(l => l.StartsWith("- ", StringComparison.Ordinal)).Select(l => l[2..]).ToList();
    }
}
