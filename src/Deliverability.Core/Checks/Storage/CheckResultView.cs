using System.Text.Json;
using System.Text.Json.Nodes;

namespace Deliverability.Core.Checks.Storage;

/// <summary>How the IP page's sections order and read stored check results.</summary>
public static class CheckResultView
{
    /// <summary>Failing first, then warnings, unknowns and passes.</summary>
    public static int Rank(CheckStatus status) => status switch
    {
        CheckStatus.Fail => 0,
        CheckStatus.Warn => 1,
        CheckStatus.Unknown => 2,
        _ => 3,
    };

    /// <summary>A result's stored evidence, or null when it is not a JSON object.</summary>
    public static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
