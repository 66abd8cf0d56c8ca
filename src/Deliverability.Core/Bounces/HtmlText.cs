using System.Net;
using System.Text;

namespace Deliverability.Core.Bounces;

/// <summary>Crude, linear-time HTML to text: drops tags, scripts and styles, keeps line breaks.</summary>
internal static class HtmlText
{
    public static string ToPlainText(string html)
    {
        var output = new StringBuilder(html.Length);
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c != '<')
            {
                output.Append(c);
                i++;
                continue;
            }

            var close = html.IndexOf('>', i + 1);
            if (close < 0)
            {
                break;
            }

            var tag = html.AsSpan(i + 1, close - i - 1).TrimStart('/').TrimStart();
            if (tag.StartsWith("br", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("p", StringComparison.OrdinalIgnoreCase) ||
                tag.StartsWith("div", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("tr", StringComparison.OrdinalIgnoreCase) ||
                tag.StartsWith("li", StringComparison.OrdinalIgnoreCase))
            {
                output.Append('\n');
            }
            else if (tag.StartsWith("td", StringComparison.OrdinalIgnoreCase))
            {
                output.Append(' ');
            }

            if (tag.StartsWith("script", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("style", StringComparison.OrdinalIgnoreCase))
            {
                var name = tag.StartsWith("script", StringComparison.OrdinalIgnoreCase) ? "</script" : "</style";
                var end = html.IndexOf(name, close, StringComparison.OrdinalIgnoreCase);
                if (end < 0)
                {
                    break;
                }

                close = html.IndexOf('>', end);
                if (close < 0)
                {
                    break;
                }
            }

            i = close + 1;
        }

        return WebUtility.HtmlDecode(output.ToString());
    }
}
