using Deliverability.Core.Checks.Storage;
using Deliverability.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Checks;

public sealed class SendingIpCheckSettingsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> AddIpAsync(string address)
    {
        await using var db = app.Factory.Database.CreateDbContext();
        return await db.AddSendingIpAsync(address, ip => { ip.CreatedAt = DateTimeOffset.UnixEpoch; ip.Domains = ["old.example"]; }, Ct);
    }

    private SendingIpCheckSettings Settings => app.Factory.Services.GetRequiredService<SendingIpCheckSettings>();

    [Fact]
    public async Task SaveAsync_WellFormedInput_StoresItNormalised()
    {
        var id = await AddIpAsync("192.0.2.201");

        var result = await Settings.SaveAsync(id, new CheckSettingsInput("Example.COM.\nexample.com\nshop.example", "example.com:mail2026", " MX1.Example.com. ", false), Ct);

        Assert.True(result.Saved);
        await using var db = app.Factory.Database.CreateDbContext();
        var ip = await db.SendingIps.AsNoTracking().SingleAsync(x => x.Id == id, Ct);
        Assert.Equal(["example.com", "shop.example"], ip.Domains);
        Assert.Equal(["example.com:mail2026"], ip.DkimSelectors);
        Assert.Equal("mx1.example.com", ip.HeloName);
        Assert.False(ip.ChecksEnabled);
    }

    [Fact]
    public async Task SaveAsync_ABadField_SaysWhichAndStoresNothing()
    {
        var id = await AddIpAsync("192.0.2.202");

        var result = await Settings.SaveAsync(id, new CheckSettingsInput("exa!mple.com", null, "bad!host", true), Ct);

        Assert.False(result.Saved);
        Assert.Equal("'exa!mple.com' is not a domain name.", result.DomainsError);
        Assert.Equal("'bad!host' is not a host name.", result.HeloError);
        Assert.Null(result.DkimError);
        await using var db = app.Factory.Database.CreateDbContext();
        Assert.Equal(["old.example"], (await db.SendingIps.AsNoTracking().SingleAsync(x => x.Id == id, Ct)).Domains);
    }
}
