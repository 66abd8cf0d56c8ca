using Deliverability.Core.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.IntegrationTests.Users;

public class UserRegistrationTests(AppFixture app) : IClassFixture<AppFixture>
{
    private async Task<UserRegistrationException> AddFailsAsync(string email, string password, string role)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var registration = scope.ServiceProvider.GetRequiredService<UserRegistration>();
        return await Assert.ThrowsAsync<UserRegistrationException>(() => registration.AddAsync(email, password, role));
    }

    [Fact]
    public async Task AddAsync_WhenEmailAlreadyUsed_SaysSo()
    {
        await app.Factory.AddUserAsync("twice@example.com", Roles.Viewer);
        var error = await AddFailsAsync("twice@example.com", "Another-Pass-123", Roles.Admin);
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_WhenRoleUnknown_ListsTheRoles()
    {
        var error = await AddFailsAsync("root@example.com", "Another-Pass-123", "root");
        Assert.Contains("Admin, Operator, Viewer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAsync_WhenPasswordTooShort_ExplainsTheRule()
    {
        var error = await AddFailsAsync("short@example.com", "Ab1-", Roles.Viewer);
        Assert.Contains("at least 10 characters", error.Message, StringComparison.Ordinal);
    }
}
