namespace NetLab.Protocols.Transport;

/// <summary>Walks the raw TCP options area one option at a time (RFC 9293 section 3.2), for callers that want
/// options <see cref="TcpHeader"/> does not decode. Stops at End of Option List or at a malformed length.</summary>
public ref struct TcpOptionReader
{
    private readonly ReadOnlySpan<byte> _options;
    private int _offset;

    public TcpOptionReader(ReadOnlySpan<byte> options)
    {
        _options = options;
        _offset = 0;
        IsMalformed = false;
    }

    /// <summary>Set when an option's length byte was missing, under two, or ran past the options area.</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>Returns the next option other than NOP; <paramref name="data"/> excludes the kind and length bytes.</summary>
    public bool TryReadNext(out TcpOptionKind kind, out ReadOnlySpan<byte> data)
    {
        data = default;
        kind = TcpOptionKind.EndOfOptionList;
        while (_offset < _options.Length)
        {
            kind = (TcpOptionKind)_options[_offset];
            if (kind == TcpOptionKind.EndOfOptionList)
            {
                _offset = _options.Length;
                return false;
            }
            if (kind == TcpOptionKind.NoOperation)
            {
                _offset++;
                continue;
            }
            int remaining = _options.Length - _offset;
            int length = remaining >= 2 ? _options[_offset + 1] : 0;
            if (length < 2 || length > remaining)
            {
                IsMalformed = true;
                _offset = _options.Length;
                return false;
            }
            data = _options.Slice(_offset + 2, length - 2);
            _offset += length;
            return true;
        }
        return false;
    }
}
