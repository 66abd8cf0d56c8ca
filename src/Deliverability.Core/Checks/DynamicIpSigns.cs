using System.Net;
using System.Text.Json;
using Deliverability.Core.Checks.Blocklists;
using Deliverability.Core.Checks.ReverseDns;

namespace Deliverability.Core.Checks;

/// <summary>
/// Whether a stored check result's evidence (its details, never its summary) says the IP looks dynamic: a PTR name the generic
/// detector flagged, or a blocklist answer whose return code means an end-user or dynamic range (Spamhaus PBL, RATS-Dyna).
/// </summary>
public static class DynamicIpSigns
{
    public static bool Read(string check, string details)
    {
        try
        {
            using var json = JsonDocument.Parse(details);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (check == ReverseDnsCheck.PtrName)
            {
                return root.TryGetProperty("generic", out var generic) && generic.ValueKind == JsonValueKind.Array
                    && generic.EnumerateArray().Any(g => g.ValueKind == JsonValueKind.Object && g.TryGetProperty("reasons", out var reasons)
                        && reasons.ValueKind == JsonValueKind.Array && reasons.GetArrayLength() > 0);
            }

            if (!check.StartsWith(BlocklistCheck.Prefix, StringComparison.OrdinalIgnoreCase)
                || BlocklistCatalogue.Find(check[BlocklistCheck.Prefix.Length..]) is not { } zone
                || !root.TryGetProperty("readings", out var readings) || readings.ValueKind != JsonValueKind.Array)
            {
                return false;
            }

            return readings.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("answer", out var answer)
                && answer.ValueKind == JsonValueKind.String && IPAddress.TryParse(answer.GetString(), out var address)
                && zone.Codes.Any(c => c.DynamicRange && c.Covers(address)));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
