using Deliverability.Core.Users;

namespace Deliverability.Core.Tests.Users;

public class RolesTests
{
    [Theory]
    [InlineData("admin", "Admin")]
    [InlineData(" OPERATOR ", "Operator")]
    [InlineData("Viewer", "Viewer")]
    public void Normalize_WhenRoleTypedInAnyCase_ReturnsCanonicalName(string typed, string expected) =>
        Assert.Equal(expected, Roles.Normalize(typed));

    [Theory]
    [InlineData("root")]
    [InlineData("")]
    [InlineData(null)]
    public void Normalize_WhenNotARole_ReturnsNull(string? typed) => Assert.Null(Roles.Normalize(typed));
}
