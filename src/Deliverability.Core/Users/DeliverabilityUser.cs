using Microsoft.AspNetCore.Identity;

namespace Deliverability.Core.Users;

/// <summary>A person who signs in to Deliverability.</summary>
public sealed class DeliverabilityUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}
