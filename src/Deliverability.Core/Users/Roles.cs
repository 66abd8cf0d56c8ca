namespace Deliverability.Core.Users;

/// <summary>The three roles: Admin manages everything, Operator acts on IPs and cases, Viewer only reads.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Operator, Viewer];

    /// <summary>Returns the canonical spelling of a role name typed in any case, or null if it is not a role.</summary>
    public static string? Normalize(string? name) =>
        All.FirstOrDefault(r => string.Equals(r, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
