using Deliverability.Core.Users;
using Deliverability.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Users;

/// <summary>Issue 12, items 6 and 9: an Admin's changes to users, their audit, their guards, and one password rule for web and CLI.</summary>
public class UserAdministrationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private UserAdministration Administration => app.Factory.Services.GetRequiredService<UserAdministration>();

    private async Task<UserActor> AdminAsync(string email)
    {
        var admin = await app.Factory.AddUserAsync(email, Roles.Admin);
        return new UserActor(admin.Id, email);
    }

    private async Task<string> IdAsync(string email)
    {
        await using var db = app.Factory.Database.CreateDbContext();
        return await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(Ct);
    }

    private static Dictionary<string, string> Password(string password) => new() { ["DELIVERABILITY_PASSWORD"] = password };

    private async Task<List<UserAuditEntry>> AuditOfAsync(string email)
    {
        await using var db = app.Factory.Database.CreateDbContext();
        return await db.UserAudit.Where(a => a.TargetEmail == email).OrderBy(a => a.Id).ToListAsync(Ct);
    }

    [Fact]
    public async Task EveryChange_IsAuditedWithWhoAndWhat()
    {
        var admin = await AdminAsync("boss@example.com");

        var added = await Administration.AddAsync(admin, "newbie@example.com", "operator", null, Ct);
        var id = await IdAsync("newbie@example.com");
        await Administration.ChangeRoleAsync(admin, id, Roles.Viewer, Ct);
        var reset = await Administration.ResetPasswordAsync(admin, id, null, Ct);
        await Administration.UnlockAsync(admin, id, Ct);
        await Administration.RemoveAsync(admin, id, Ct);

        Assert.NotNull(added.GeneratedPassword);
        Assert.NotNull(reset.GeneratedPassword);
        Assert.NotEqual(added.GeneratedPassword, reset.GeneratedPassword);
        var audit = await AuditOfAsync("newbie@example.com");
        Assert.Equal([UserAction.Added, UserAction.RoleChanged, UserAction.PasswordReset, UserAction.Unlocked, UserAction.Removed], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(("boss@example.com", admin.UserId), (a.ActorName, a.ActorUserId)));
        Assert.Equal("role Operator → Viewer", audit[1].Detail);
        Assert.Equal(0, await app.Factory.Database.CreateDbContext().Users.CountAsync(u => u.Email == "newbie@example.com", Ct));
    }

    [Fact]
    public async Task ResetPassword_OldPasswordStopsWorkingNewOneWorks()
    {
        var admin = await AdminAsync("resetter@example.com");
        await app.Factory.AddUserAsync("forgetful@example.com", Roles.Viewer);

        var reset = await Administration.ResetPasswordAsync(admin, await IdAsync("forgetful@example.com"), null, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => SignedInClient.CreateAsync(app.Factory, "forgetful@example.com"));
        using var client = await SignedInClient.CreateAsync(app.Factory, "forgetful@example.com", reset.GeneratedPassword!);
    }

    [Fact]
    public async Task Unlock_LetsALockedUserSignInAgain()
    {
        var admin = await AdminAsync("unlocker@example.com");
        var locked = await app.Factory.AddUserAsync("locked-out@example.com", Roles.Viewer);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<DeliverabilityUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(locked.Id))!, DateTimeOffset.UtcNow.AddHours(1));
        }

        Assert.NotNull((await Administration.ListAsync(Ct)).Single(u => u.Email == "locked-out@example.com").LockedUntil);
        await Assert.ThrowsAsync<InvalidOperationException>(() => SignedInClient.CreateAsync(app.Factory, "locked-out@example.com"));

        await Administration.UnlockAsync(admin, locked.Id, Ct);

        using var client = await SignedInClient.CreateAsync(app.Factory, "locked-out@example.com");
        Assert.Null((await Administration.ListAsync(Ct)).Single(u => u.Email == "locked-out@example.com").LockedUntil);
    }

    [Fact]
    public async Task Guards_RefuseToLoseTheLastAdminOrToActForSomeoneNoLongerAdmin()
    {
        var first = await AdminAsync("only-admin@example.com");
        var other = await AdminAsync("second-admin@example.com");
        await Administration.ChangeRoleAsync(first, other.UserId!, Roles.Operator, Ct);

        var self = await Assert.ThrowsAsync<UserAdministrationException>(() => Administration.ChangeRoleAsync(first, first.UserId!, Roles.Viewer, Ct));
        var demoted = await Assert.ThrowsAsync<UserAdministrationException>(() => Administration.RemoveAsync(other, first.UserId!, Ct));

        Assert.Contains("ask another Admin", self.Message, StringComparison.Ordinal);
        Assert.Contains("no longer one", demoted.Message, StringComparison.Ordinal);
        Assert.Empty(await AuditOfAsync("only-admin@example.com"));
    }

    [Fact]
    public async Task Guards_RefuseToDemoteOrRemoveTheLastAdmin()
    {
        var last = await AdminAsync("last-admin@example.com");
        foreach (var other in (await Administration.ListAsync(Ct)).Where(u => u.Role == Roles.Admin && u.Id != last.UserId))
        {
            await Administration.ChangeRoleAsync(UserActor.CommandLine, other.Id, Roles.Operator, Ct);
        }

        var demote = await Assert.ThrowsAsync<UserAdministrationException>(() => Administration.ChangeRoleAsync(UserActor.CommandLine, last.UserId!, Roles.Operator, Ct));
        var remove = await Assert.ThrowsAsync<UserAdministrationException>(() => Administration.RemoveAsync(UserActor.CommandLine, last.UserId!, Ct));

        Assert.Contains("the last Admin", demote.Message, StringComparison.Ordinal);
        Assert.Contains("the last Admin", remove.Message, StringComparison.Ordinal);
        Assert.Empty(await AuditOfAsync("last-admin@example.com"));
        Assert.Equal(Roles.Admin, (await Administration.ListAsync(Ct)).Single(u => u.Id == last.UserId).Role);
    }

    [Fact]
    public async Task PasswordRule_IsTheSameOnThePageAndInTheCli()
    {
        var admin = await AdminAsync("rules@example.com");
        const string sevenCharacters = "Ab1-xyz";

        var web = await Assert.ThrowsAsync<UserAdministrationException>(() => Administration.AddAsync(admin, "short-web@example.com", Roles.Viewer, sevenCharacters, Ct));
        var (exit, output) = await CliProcess.RunAsync(app.Factory.Database, Password(sevenCharacters), "users", "add", "--email", "short-cli@example.com", "--role", "Viewer");

        Assert.Contains($"at least {PasswordPolicy.MinimumLength} characters", web.Message, StringComparison.Ordinal);
        Assert.Equal(1, exit);
        Assert.Contains($"at least {PasswordPolicy.MinimumLength} characters", output, StringComparison.Ordinal);
        await using var db = app.Factory.Database.CreateDbContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email!.StartsWith("short-"), Ct));
    }

    [Fact]
    public async Task CliAdd_WithAGoodPassword_AddsTheUserAndAuditsIt()
    {
        var (exit, output) = await CliProcess.RunAsync(app.Factory.Database, Password("Long-Enough-Pass-1"), "users", "add", "--email", "cli-user@example.com", "--role", "operator");

        Assert.True(exit == 0, output);
        var audit = Assert.Single(await AuditOfAsync("cli-user@example.com"));
        Assert.Equal((UserAction.Added, "command line", "added as Operator"), (audit.Action, audit.ActorName, audit.Detail));
    }
}
