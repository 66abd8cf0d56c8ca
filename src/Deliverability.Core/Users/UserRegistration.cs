using Microsoft.AspNetCore.Identity;

namespace Deliverability.Core.Users;

/// <summary>Creates users with a role, making sure the three roles exist first.</summary>
public sealed class UserRegistration(
    UserManager<DeliverabilityUser> users,
    RoleManager<IdentityRole> roles,
    TimeProvider clock)
{
    public async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Throw(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
            }
        }
    }

    public async Task<bool> AnyUserInRoleAsync(string role) => (await users.GetUsersInRoleAsync(role)).Count > 0;

    /// <summary>Creates a user, or fails with a sentence that says why (duplicate e-mail, weak password, unknown role).</summary>
    public async Task<DeliverabilityUser> AddAsync(string email, string password, string role)
    {
        var canonicalRole = Roles.Normalize(role)
            ?? throw new UserRegistrationException($"'{role}' is not a role. Use one of: {string.Join(", ", Roles.All)}.");
        await EnsureRolesAsync();
        if (await users.FindByEmailAsync(email) is not null)
        {
            throw new UserRegistrationException($"A user with the e-mail {email} already exists.");
        }

        var user = new DeliverabilityUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            LockoutEnabled = true,
            CreatedAt = clock.GetUtcNow(),
        };
        Throw(await users.CreateAsync(user, password), $"create user {email}");
        Throw(await users.AddToRoleAsync(user, canonicalRole), $"give {email} the role {canonicalRole}");
        return user;
    }

    private static void Throw(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new UserRegistrationException(
                $"Could not {what}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}

public sealed class UserRegistrationException(string message) : Exception(message);
