using System.Globalization;
using Deliverability.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Deliverability.Core.Users;

/// <summary>Who makes a change: a signed-in Admin (by user id), or the command line run on the server.</summary>
public sealed record UserActor(string? UserId, string Name)
{
    public static UserActor CommandLine { get; } = new(null, "command line");
}

public sealed record UserListRow(string Id, string Email, string? Role, DateTimeOffset CreatedAt, DateTimeOffset? LockedUntil, int FailedSignIns);

public sealed record UserAuditRow(DateTimeOffset At, string ActorName, UserAction Action, string TargetEmail, string Detail);

/// <summary>The result of a change; <see cref="GeneratedPassword"/> is set when the password was generated, to be shown once.</summary>
public sealed record UserChangeResult(string Email, string? GeneratedPassword);

public sealed class UserAdministrationException(string message) : Exception(message);

/// <summary>
/// Adds users, changes their role, resets their password, unlocks and removes them; each change and its audit entry are one
/// transaction. Every call runs in a scope of its own (its own DbContext and UserManager), so a Blazor circuit never works on
/// a stale user. The actor must still be an Admin when the change is made. A role change or removal ends the user's
/// sessions at their next request (the cookie's roles no longer match), a password reset at once (new security stamp).
/// </summary>
public sealed class UserAdministration(IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserListRow>> ListAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliverabilityDbContext>();
        var now = clock.GetUtcNow();
        var rows = await db.Users.AsNoTracking().OrderBy(u => u.Email)
            .Select(u => new
            {
                u.Id,
                u.Email,
                u.CreatedAt,
                u.LockoutEnd,
                u.AccessFailedCount,
                Role = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).OrderBy(n => n).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.Select(r => new UserListRow(r.Id, r.Email ?? "", r.Role, r.CreatedAt, r.LockoutEnd > now ? r.LockoutEnd : null, r.AccessFailedCount)).ToList();
    }

    public async Task<IReadOnlyList<UserAuditRow>> RecentChangesAsync(int take, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliverabilityDbContext>();
        return await db.UserAudit.AsNoTracking().OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(take)
            .Select(a => new UserAuditRow(a.At, a.ActorName, a.Action, a.TargetEmail, a.Detail)).ToListAsync(ct);
    }

    /// <summary>Adds a user with one role; without <paramref name="password"/> one is generated (and returned once).</summary>
    public Task<UserChangeResult> AddAsync(UserActor actor, string email, string role, string? password, CancellationToken ct) =>
        ChangeAsync(actor, null, async (change, _) =>
        {
            email = email.Trim();
            var generated = string.IsNullOrEmpty(password) ? PasswordPolicy.Generate() : null;
            DeliverabilityUser user;
            try
            {
                user = await change.Services.GetRequiredService<UserRegistration>().AddAsync(email, password is { Length: > 0 } ? password : generated!, role);
            }
            catch (UserRegistrationException e)
            {
                throw new UserAdministrationException(e.Message);
            }

            change.Audit(UserAction.Added, user, $"added as {Roles.Normalize(role)}");
            return new UserChangeResult(email, generated);
        }, ct);

    public Task<UserChangeResult> ChangeRoleAsync(UserActor actor, string userId, string role, CancellationToken ct) =>
        ChangeAsync(actor, userId, async (change, user) =>
        {
            var canonical = Roles.Normalize(role) ?? throw new UserAdministrationException($"'{role}' is not a role. Use one of: {string.Join(", ", Roles.All)}.");
            RefuseOwnAccount(actor, user, "change your own role");
            var current = await change.Users.GetRolesAsync(user!);
            if (current.Count == 1 && current[0] == canonical)
            {
                throw new UserAdministrationException($"{user!.Email} already is {canonical}.");
            }

            if (current.Contains(Roles.Admin) && canonical != Roles.Admin)
            {
                await RefuseLastAdminAsync(change, "take the Admin role from");
            }

            Throw(await change.Users.RemoveFromRolesAsync(user!, current));
            Throw(await change.Users.AddToRoleAsync(user!, canonical));
            change.Audit(UserAction.RoleChanged, user!, $"role {(current.Count == 0 ? "none" : string.Join(", ", current))} → {canonical}");
            return new UserChangeResult(user!.Email!, null);
        }, ct);

    /// <summary>Sets a new password (generated when <paramref name="password"/> is empty) and ends every session of the user.</summary>
    public Task<UserChangeResult> ResetPasswordAsync(UserActor actor, string userId, string? password, CancellationToken ct) =>
        ChangeAsync(actor, userId, async (change, user) =>
        {
            var generated = string.IsNullOrEmpty(password) ? PasswordPolicy.Generate() : null;
            var newPassword = password is { Length: > 0 } ? password : generated!;
            foreach (var validator in change.Users.PasswordValidators)
            {
                Throw(await validator.ValidateAsync(change.Users, user!, newPassword));
            }

            Throw(await change.Users.RemovePasswordAsync(user!));
            Throw(await change.Users.AddPasswordAsync(user!, newPassword));
            change.Audit(UserAction.PasswordReset, user!, generated is null ? "password set by the Admin; sessions ended" : "password generated; sessions ended");
            return new UserChangeResult(user!.Email!, generated);
        }, ct);

    public Task<UserChangeResult> UnlockAsync(UserActor actor, string userId, CancellationToken ct) =>
        ChangeAsync(actor, userId, async (change, user) =>
        {
            var until = user!.LockoutEnd;
            Throw(await change.Users.SetLockoutEndDateAsync(user, null));
            Throw(await change.Users.ResetAccessFailedCountAsync(user));
            change.Audit(UserAction.Unlocked, user, until > clock.GetUtcNow()
                ? $"unlocked (was locked until {until.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)})"
                : "failed sign-ins reset (was not locked)");
            return new UserChangeResult(user.Email!, null);
        }, ct);

    public Task<UserChangeResult> RemoveAsync(UserActor actor, string userId, CancellationToken ct) =>
        ChangeAsync(actor, userId, async (change, user) =>
        {
            RefuseOwnAccount(actor, user, "remove yourself");
            var roles = await change.Users.GetRolesAsync(user!);
            if (roles.Contains(Roles.Admin))
            {
                await RefuseLastAdminAsync(change, "remove");
            }

            change.Audit(UserAction.Removed, user!, $"removed (was {(roles.Count == 0 ? "without a role" : string.Join(", ", roles))})");
            Throw(await change.Users.DeleteAsync(user!));
            return new UserChangeResult(user!.Email!, null);
        }, ct);

    private sealed class Change(IServiceProvider services, DeliverabilityDbContext db, UserManager<DeliverabilityUser> users, UserActor actor, DateTimeOffset at)
    {
        public IServiceProvider Services { get; } = services;
        public DeliverabilityDbContext Db { get; } = db;
        public UserManager<DeliverabilityUser> Users { get; } = users;

        public void Audit(UserAction action, DeliverabilityUser target, string detail) => Db.UserAudit.Add(new UserAuditEntry
        {
            At = at,
            ActorName = actor.Name,
            ActorUserId = actor.UserId,
            Action = action,
            TargetEmail = target.Email ?? target.UserName ?? target.Id,
            TargetUserId = target.Id,
            Detail = detail,
        });
    }

    private async Task<UserChangeResult> ChangeAsync(UserActor actor, string? userId, Func<Change, DeliverabilityUser?, Task<UserChangeResult>> apply, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliverabilityDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<DeliverabilityUser>>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (actor.UserId is not null && (await users.FindByIdAsync(actor.UserId) is not { } admin || !await users.IsInRoleAsync(admin, Roles.Admin)))
        {
            throw new UserAdministrationException("Only an Admin can change users, and you are no longer one.");
        }

        DeliverabilityUser? user = null;
        if (userId is not null && (user = await users.FindByIdAsync(userId)) is null)
        {
            throw new UserAdministrationException("This user no longer exists (another Admin removed them).");
        }

        var result = await apply(new Change(scope.ServiceProvider, db, users, actor, clock.GetUtcNow()), user);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return result;
    }

    private static void RefuseOwnAccount(UserActor actor, DeliverabilityUser? user, string what)
    {
        if (actor.UserId is not null && actor.UserId == user?.Id)
        {
            throw new UserAdministrationException($"You cannot {what}: ask another Admin.");
        }
    }

    private static async Task RefuseLastAdminAsync(Change change, string what)
    {
        if ((await change.Users.GetUsersInRoleAsync(Roles.Admin)).Count <= 1)
        {
            throw new UserAdministrationException($"You cannot {what} the last Admin: make someone else Admin first.");
        }
    }

    private static void Throw(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new UserAdministrationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
