using System.Net;
using Deliverability.Core;
using Deliverability.Core.Data;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Core.Users;
using Deliverability.Testing;
using Deliverability.Web.Auth;
using Deliverability.Web.Features.Remediation;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Deliverability.Web.Tests.Remediation;

public sealed class ChecklistDatabase : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = default!;
    public long SendingIpId { get; private set; }

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        await using var db = Database.CreateDbContext();
        var ip = new SendingIp { Address = IPAddress.Parse("192.0.2.44"), CreatedAt = DateTimeOffset.UtcNow };
        db.SendingIps.Add(ip);
        await db.SaveChangesAsync();
        SendingIpId = ip.Id;
        var now = DateTimeOffset.UtcNow;
        db.RemediationItems.AddRange(
            new RemediationItem
            {
                SendingIpId = ip.Id, Key = "spam-complaints", Cause = RemediationCause.SpamComplaints, Title = "Stop the spam complaints",
                Action = "Suppress complainers.", Verification = RemediationVerification.Manual, VerifiedBy = "Ticked by an operator.",
                Evidence = [new("6 spam complaints", "/uploads/1", now)], StillEvident = true, RaisedAt = now, UpdatedAt = now, Position = 30,
            },
            new RemediationItem
            {
                SendingIpId = ip.Id, Key = "spf", Cause = RemediationCause.SpfFailing, Title = "Fix SPF", Action = "Publish SPF.",
                Verification = RemediationVerification.Check, VerifiedBy = "The spf check passes.",
                Evidence = [new("spf example.com: No SPF record.", $"/ips/{ip.Id}#checks", now)], StillEvident = true, RaisedAt = now, UpdatedAt = now, Position = 61,
            });
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();
}

public class RemediationChecklistTests : BunitContext, IClassFixture<ChecklistDatabase>
{
    private readonly ChecklistDatabase _fixture;

    public RemediationChecklistTests(ChecklistDatabase fixture)
    {
        _fixture = fixture;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddDbContextFactory<DeliverabilityDbContext>(o => DependencyInjection.ConfigureNpgsql(o, fixture.Database.ConnectionString));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<IBackgroundJobClient, NoJobs>();
        Services.AddScoped<IpDiagnosisRequests>();
    }

    private IRenderedComponent<RemediationChecklist> RenderChecklist()
    {
        Render<MudBlazor.MudPopoverProvider>();
        var cut = Render<RemediationChecklist>(p => p.Add(x => x.SendingIpId, _fixture.SendingIpId));
        cut.WaitForElement("#checklist-progress");
        return cut;
    }

    private static bool Enabled(AngleSharp.Dom.IElement input) => !input.HasAttribute("disabled");

    [Fact]
    public void Render_ForAViewer_ShowsTheItemsWithoutAnEnabledCheckbox()
    {
        AddAuthorization().SetAuthorized("viewer@example.com").SetRoles(Roles.Viewer);

        var cut = RenderChecklist();

        Assert.Equal("0 of 2 done", cut.Find("#checklist-progress").TextContent.Trim());
        Assert.Contains("Stop the spam complaints", cut.Markup, StringComparison.Ordinal);
        Assert.Equal(["Open", "Check failing"], cut.FindAll(".checklist-state").Select(c => c.TextContent.Trim()));
        Assert.Contains(cut.FindAll("a"), a => a.GetAttribute("href") == "/uploads/1");
        var boxes = cut.FindAll("input[type=checkbox]");
        Assert.Equal(2, boxes.Count);
        Assert.DoesNotContain(boxes, Enabled);
    }

    [Fact]
    public void Render_ForAnOperator_EnablesOnlyTheManualItem()
    {
        AddAuthorization().SetAuthorized("operator@example.com").SetRoles(Roles.Operator).SetPolicies(AuthSetup.OperatorPolicy);

        var cut = RenderChecklist();

        var manual = cut.Find("#checklist-item-spam-complaints input[type=checkbox]");
        var check = cut.Find("#checklist-item-spf input[type=checkbox]");
        Assert.True(Enabled(manual));
        Assert.False(Enabled(check));
    }

    /// <summary>Records nothing: the tick's diagnosis request has nowhere to go in a component test.</summary>
    private sealed class NoJobs : IBackgroundJobClient
    {
        public string Create(Job job, IState state) => "none";

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
