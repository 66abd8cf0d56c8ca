using System.Text;

namespace Deliverability.Core.Logs;

/// <summary>
/// Reads lines (LF, CRLF or CR) without ever holding more than <c>maxLength</c> characters of one line:
/// the rest of an overlong line is read and thrown away.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLength)
{
    private readonly char[] _buffer = new char[8192];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _filled;
    private bool _skipLineFeed;

    /// <summary>Reads the next line; false at the end of the input.</summary>
    public bool TryRead(out string text, out bool tooLong, out bool unterminated)
    {
        _line.Clear();
        tooLong = false;
        unterminated = false;
        var any = false;
        while (true)
        {
            if (_position == _filled)
            {
                _filled = reader.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_filled == 0)
                {
                    text = _line.ToString();
                    unterminated = any;
                    return any;
                }
            }

            if (_skipLineFeed)
            {
                _skipLineFeed = false;
                if (_buffer[_position] == '\n')
                {
                    _position++;
                    continue;
                }
            }

            var start = _position;
            while (_position < _filled && _buffer[_position] is not ('\n' or '\r'))
            {
                _position++;
            }

            any |= _position > start;
            Append(start, _position - start, ref tooLong);
            if (_position < _filled)
            {
                _skipLineFeed = _buffer[_position] == '\r';
                _position++;
                text = _line.ToString();
                return true;
            }
        }
    }

    private void Append(int start, int count, ref bool tooLong)
    {
        var room = maxLength - _line.Length;
        if (count > room)
        {
            tooLong = true;
            count = Math.Max(0, room);
        }

        _line.Append(_buffer, start, count);
    }
}
