namespace Deliverability.Core.Reports;

/// <summary>
/// Skips what some reporters put before a report's first character: a UTF-8 byte order mark (sometimes twice) and blank lines, which
/// would make an XML declaration invalid. A UTF-16 BOM is left for the XML reader, which reads it.
/// </summary>
internal sealed class LeadingBlankSkippingStream(Stream inner) : Stream
{
    private byte[]? _pending;
    private int _offset;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_pending is null)
        {
            SkipLeading();
        }

        if (_offset < _pending!.Length)
        {
            var n = Math.Min(buffer.Length, _pending.Length - _offset);
            _pending.AsSpan(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        return inner.Read(buffer);
    }

    private void SkipLeading()
    {
        var head = new byte[4096];
        var length = 0;
        int read;
        while (length < head.Length && (read = inner.Read(head, length, head.Length - length)) > 0)
        {
            length += read;
        }

        var start = 0;
        while (true)
        {
            if (length - start >= 3 && head[start] == 0xEF && head[start + 1] == 0xBB && head[start + 2] == 0xBF)
            {
                start += 3;
            }
            else if (start < length && head[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0)
            {
                start++;
            }
            else
            {
                break;
            }
        }

        _pending = head[start..length];
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
