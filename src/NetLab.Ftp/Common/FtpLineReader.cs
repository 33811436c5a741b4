namespace NetLab.Ftp.Common;

/// <summary>Reads CRLF-terminated control lines from a stream without trusting their length.</summary>
public sealed class FtpLineReader
{
    /// <summary>Longest line kept; longer ones are read to their end and reported as too long.</summary>
    public const int MaxLineLength = 8192;

    private readonly byte[] _buffer = new byte[MaxLineLength * 2];
    private int _start;
    private int _end;

    public FtpLineReader(Stream stream) => Stream = stream;

    /// <summary>The stream read from; replaced after a TLS upgrade (nothing may be buffered then).</summary>
    public Stream Stream { get; set; }

    public bool HasBufferedData => _end > _start;

    /// <summary>The next line without its CRLF, <see cref="LineResult.TooLong"/> when it overflowed,
    /// or <see cref="LineResult.End"/> when the peer closed the connection.</summary>
    public async ValueTask<(LineResult Result, byte[] Line)> ReadLineAsync(CancellationToken cancellationToken)
    {
        bool overflowed = false;
        while (true)
        {
            int newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                byte[] line = WithoutLineEnd(_buffer.AsSpan(_start, newline + 1));
                _start += newline + 1;
                return overflowed ? (LineResult.TooLong, []) : (LineResult.Line, line);
            }
            if (_end - _start >= MaxLineLength)
            {
                overflowed = true;
                _start = _end = 0;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            int read = await Stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (LineResult.End, []);
            }
            _end += read;
        }
    }

    private static byte[] WithoutLineEnd(ReadOnlySpan<byte> line)
    {
        int length = line.Length;
        if (length > 0 && line[length - 1] == '\n')
        {
            length--;
        }
        if (length > 0 && line[length - 1] == '\r')
        {
            length--;
        }
        return line[..length].ToArray();
    }
}

public enum LineResult
{
    Line,
    TooLong,
    End,
}
