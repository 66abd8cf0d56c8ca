using Deliverability.Core.Users;
using Microsoft.AspNetCore.Identity;

namespace Deliverability.Web.Auth;

/// <summary>
/// Password sign-in that does the same work whatever the e-mail: an unknown address or a locked account is checked
/// against a dummy hash (one PBKDF2 run, as for a real user), so the time taken does not tell which e-mails have
/// accounts. The caller shows one message for every failure.
/// </summary>
public sealed class PasswordSignIn(SignInManager<DeliverabilityUser> signIn, UserManager<DeliverabilityUser> users, IPasswordHasher<DeliverabilityUser> hasher)
{
    private static readonly DeliverabilityUser DummyUser = new();
    private static string? _dummyHash;

    public async Task<bool> SignInAsync(string email, string password, bool rememberMe)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            // Identity answers for a locked account before hashing; an unknown one it would answer at once.
            _dummyHash ??= hasher.HashPassword(DummyUser, Guid.NewGuid().ToString());
            hasher.VerifyHashedPassword(DummyUser, _dummyHash, password);
            return false;
        }

        var result = await signIn.PasswordSignInAsync(user, password, rememberMe, lockoutOnFailure: true);
        return result.Succeeded;
    }
}
