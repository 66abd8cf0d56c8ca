namespace Deliverability.Core.Logs;

/// <summary>Space-separated Exim fields; a double-quoted value (C="250 OK ...") stays one field.</summary>
internal ref struct EximFields(ReadOnlySpan<char> text)
{
    private readonly ReadOnlySpan<char> _text = text;
    private int _at;

    public ReadOnlySpan<char> Peek()
    {
        var saved = _at;
        var token = Next();
        _at = saved;
        return token;
    }

    public ReadOnlySpan<char> Next()
    {
        while (_at < _text.Length && _text[_at] == ' ')
        {
            _at++;
        }

        var start = _at;
        var quoted = false;
        while (_at < _text.Length && (quoted || _text[_at] != ' '))
        {
            if (_text[_at] == '"')
            {
                quoted = !quoted;
            }

            _at++;
        }

        return _text[start.._at];
    }
}
