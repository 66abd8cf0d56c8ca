using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace Deliverability.Core.Users;

/// <summary>The one password rule of the web app and the CLI: at least 10 characters with a digit, a lower- and an upper-case letter and a symbol.</summary>
public static class PasswordPolicy
{
    public const int MinimumLength = 10;

    public static void Apply(PasswordOptions options)
    {
        options.RequiredLength = MinimumLength;
        options.RequireDigit = true;
        options.RequireLowercase = true;
        options.RequireUppercase = true;
        options.RequireNonAlphanumeric = true;
        options.RequiredUniqueChars = 1;
    }

    /// <summary>A random password that meets the rule: 16 characters from an alphabet without look-alikes, then a symbol, digit, lower and upper case.</summary>
    public static string Generate()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return new string(RandomNumberGenerator.GetItems<char>(alphabet, 16)) + "-9aA";
    }

    public static string Describe() => $"at least {MinimumLength} characters, with a digit, a lower-case and an upper-case letter and a symbol";
}
