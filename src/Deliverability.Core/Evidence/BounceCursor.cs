using System.Globalization;
using System.Text;
using Deliverability.Core.Remediation;

namespace Deliverability.Core.Evidence;

/// <summary>Where a page ends: the (time, source, id) of its last row, as an opaque token.</summary>
public sealed record BounceCursor(DateTimeOffset At, EvidenceSource Source, long Id)
{
    public string ToToken() => Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{(At.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10}.{(int)Source}.{Id}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Null when the token is not one this class wrote.</summary>
    public static BounceCursor? TryParse(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 64) return null;
        try
        {
            var padded = token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - token.Length % 4) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split('.');
            if (parts.Length == 3
                && long.TryParse(parts[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var micros)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var source) && Enum.IsDefined((EvidenceSource)source)
                && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                && micros is > -62135596800000000 and < 253402300799000000)
            {
                return new BounceCursor(DateTimeOffset.UnixEpoch.AddTicks(micros * 10), (EvidenceSource)source, id);
            }
        }
        catch (FormatException)
        {
        }

        return null;
    }
}
