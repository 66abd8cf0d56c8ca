namespace Deliverability.Core.Logs;

/// <summary>Space-separated Exim fields; a double-quoted value (C="250 OK ...") stays one field.</summary>
internal ref struct EximFields(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> text = text;
    private int at;

    public ReadOnlySpan<char> Peek()
    {
        var saved = at;
        var token = Next();
        at = saved;
        return token;
    }

    public ReadOnlySpan<char> Next()
    {
        while (at < text.Length && text[at] == ' ')
        {
            at++;
        }

        var start = at;
        var quoted = false;
        while (at < text.Length && (quoted || text[at] != ' '))
        {
            if (text[at] == '"')
            {
                quoted = !quoted;
            }

            at++;
        }

        return text[start..at];
    }
}
