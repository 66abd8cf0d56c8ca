using System.Net;
using Deliverability.Core;
using Deliverability.Core.Data;
using Deliverability.Core.Ips;
using Deliverability.Core.Remediation;
using Deliverability.Core.Users;
using Deliverability.Testing;
using Deliverability.Web.Auth;
using Deliverability.Web.Features.Remediation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Deliverability.Web.Tests.Features.Remediation;

public sealed class ChecklistDatabase : IAsyncLifetime
{
    private int _next;

    public TestDatabase Database { get; private set; } = default!;

    public async ValueTask InitializeAsync() => Database = await TestDatabase.CreateAsync();

    /// <summary>A new IP with one open manual item and one failing check-verified item.</summary>
    public async Task<long> SeedAsync()
    {
        await using var db = Database.CreateDbContext();
        var ip = new SendingIp { Address = IPAddress.Parse($"192.0.2.{Interlocked.Increment(ref _next)}"), CreatedAt = DateTimeOffset.UtcNow };
        db.SendingIps.Add(ip);
        await db.SaveChangesAsync();
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
        return ip.Id;
    }

    public async ValueTask DisposeAsync() => await Database.DisposeAsync();
}

public class RemediationChecklistTests : BunitContext, IClassFixture<ChecklistDatabase>
{
    private readonly ChecklistDatabase _fixture;
    private readonly RecordedJobs _jobs = new();

    public RemediationChecklistTests(ChecklistDatabase fixture)
    {
        _fixture = fixture;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddDbContextFactory<DeliverabilityDbContext>(o => DependencyInjection.ConfigureNpgsql(o, fixture.Database.ConnectionString));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(_jobs.DiagnosisRequests);
        Services.AddSingleton<Checklist>();
    }

    private IRenderedComponent<RemediationChecklist> RenderChecklist(long sendingIpId)
    {
        var cut = Render<RemediationChecklist>(p => p.Add(x => x.SendingIpId, sendingIpId));
        cut.WaitForElement("#checklist-progress", Patience);
        return cut;
    }

    // bUnit waits one second by default: a render that reads PostgreSQL on a loaded machine can take longer.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static bool Enabled(AngleSharp.Dom.IElement input) => !input.HasAttribute("disabled");

    [Fact]
    public async Task Render_ForAViewer_ShowsTheItemsWithoutAnEnabledCheckbox()
    {
        AddAuthorization().SetAuthorized("viewer@example.com").SetRoles(Roles.Viewer);

        var cut = RenderChecklist(await _fixture.SeedAsync());

        Assert.Equal("0 of 2 done", cut.Find("#checklist-progress").TextContent.Trim());
        Assert.Contains("Stop the spam complaints", cut.Markup, StringComparison.Ordinal);
        Assert.Equal(["Open", "Check failing"], cut.FindAll(".checklist-state").Select(c => c.TextContent.Trim()));
        Assert.Contains(cut.FindAll("a"), a => a.GetAttribute("href") == "/uploads/1");
        var boxes = cut.FindAll("input[type=checkbox]");
        Assert.Equal(2, boxes.Count);
        Assert.DoesNotContain(boxes, Enabled);
    }

    [Fact]
    public async Task Render_ForAnOperator_EnablesOnlyTheManualItem()
    {
        AddAuthorization().SetAuthorized("operator@example.com").SetRoles(Roles.Operator).SetPolicies(AuthSetup.OperatorPolicy);

        var cut = RenderChecklist(await _fixture.SeedAsync());

        var manual = cut.Find("#checklist-item-spam-complaints input[type=checkbox]");
        var check = cut.Find("#checklist-item-spf input[type=checkbox]");
        Assert.True(Enabled(manual));
        Assert.False(Enabled(check));
    }

    [Fact]
    public async Task Tick_ByAnOperator_RecordsWhoAndWhenAndUntickClearsThem()
    {
        AddAuthorization().SetAuthorized("operator@example.com").SetRoles(Roles.Operator).SetPolicies(AuthSetup.OperatorPolicy);
        var ipId = await _fixture.SeedAsync();
        var cut = RenderChecklist(ipId);

        cut.Find("#checklist-item-spam-complaints input[type=checkbox]").Change(true);

        cut.WaitForAssertion(() => Assert.Equal("1 of 2 done", cut.Find("#checklist-progress").TextContent.Trim()), Patience);
        Assert.Contains("Ticked by operator@example.com", cut.Markup, StringComparison.Ordinal);
        // The tick is a change of the IP's evidence: the checklist asks for the IP's diagnosis, not the page.
        Assert.Contains(ipId, _jobs.RefreshedIps);
        await using (var db = _fixture.Database.CreateDbContext())
        {
            var item = await db.RemediationItems.SingleAsync(i => i.SendingIpId == ipId && i.Key == "spam-complaints", Xunit.TestContext.Current.CancellationToken);
            Assert.Equal((true, "operator@example.com"), (item.Done, item.DoneBy));
            Assert.NotNull(item.DoneAt);
        }

        cut.Find("#checklist-item-spam-complaints input[type=checkbox]").Change(false);

        cut.WaitForAssertion(() => Assert.Equal("0 of 2 done", cut.Find("#checklist-progress").TextContent.Trim()), Patience);
        await using var check = _fixture.Database.CreateDbContext();
        var unticked = await check.RemediationItems.SingleAsync(i => i.SendingIpId == ipId && i.Key == "spam-complaints", Xunit.TestContext.Current.CancellationToken);
        Assert.Equal((false, null, null), (unticked.Done, unticked.DoneBy, unticked.DoneAt));
    }

    [Fact]
    public async Task Tick_WhenTheUserLostTheOperatorRoleAfterRendering_IsRefusedServerSide()
    {
        var auth = AddAuthorization();
        auth.SetAuthorized("operator@example.com").SetRoles(Roles.Operator).SetPolicies(AuthSetup.OperatorPolicy);
        var ipId = await _fixture.SeedAsync();
        var cut = RenderChecklist(ipId);

        // The rendered checkbox stays enabled (a stale page, or a crafted event): only the handler's own check stands in the way.
        auth.SetPolicies();
        var box = cut.Find("#checklist-item-spam-complaints input[type=checkbox]");
        Assert.True(Enabled(box));
        box.Change(true);

        await using var db = _fixture.Database.CreateDbContext();
        var item = await db.RemediationItems.SingleAsync(i => i.SendingIpId == ipId && i.Key == "spam-complaints", Xunit.TestContext.Current.CancellationToken);
        Assert.False(item.Done);
        Assert.Null(item.DoneBy);
    }
}
