using Deliverability.Core.Delisting;
using Deliverability.Core.Users;
using Deliverability.Web.Auth;
using Deliverability.Web.Features.Delisting;

namespace Deliverability.Web.Tests.Features.Delisting;

/// <summary>
/// The page reads the case again after every attempt, refused or not. On a slow server the user types while that read runs:
/// what they typed must survive it, or every later click is refused again for a field that looks filled.
/// </summary>
public class DelistingTimesFormTests : DelistingComponentContext
{
    public DelistingTimesFormTests()
    {
        AddAuthorization().SetAuthorized("operator@example.com").SetRoles(Roles.Operator).SetPolicies(AuthSetup.OperatorPolicy);
        Render<MudBlazor.MudPopoverProvider>();
    }

    [Fact]
    public void ATypedTicket_SurvivesAReloadOfTheUnchangedCase()
    {
        var form = Render<DelistingTimesForm>(p => p.Add(f => f.Details, Details(events: 3)).Add(f => f.Kind, DelistingStepKind.Submission));
        form.Find("#ticket-number").Change("SRX1234567890ID");

        form.Render(p => p.Add(f => f.Details, Details(events: 3)));

        Assert.Equal("SRX1234567890ID", form.Find("#ticket-number").GetAttribute("value"));
    }

    [Fact]
    public void ARecordedChange_ShowsTheCaseAsStoredAgain()
    {
        var form = Render<DelistingTimesForm>(p => p.Add(f => f.Details, Details(events: 3)).Add(f => f.Kind, DelistingStepKind.Submission));
        form.Find("#ticket-number").Change("typed but not saved");

        form.Render(p => p.Add(f => f.Details, Details(events: 4, ticket: "SRX-STORED")));

        Assert.Equal("SRX-STORED", form.Find("#ticket-number").GetAttribute("value"));
    }

    private static DelistingCaseDetails Details(int events, string? ticket = null)
    {
        var delistingCase = new DelistingCase { Id = 7, SendingIpId = 1, Target = DelistingProcesses.Outlook, OpenedBy = "operator@example.com", TicketNumber = ticket };
        for (var i = 0; i < events; i++)
        {
            delistingCase.Events.Add(new DelistingCaseEvent { At = DateTimeOffset.UnixEpoch, User = "operator@example.com", What = $"change {i}" });
        }

        return new DelistingCaseDetails(delistingCase, "203.0.113.5", DelistingProcesses.For(DelistingProcesses.Outlook)!, DelistingEvidence.None,
            new Dictionary<DelistingStepKind, DelistingClaim>(), "", null, []);
    }
}
