namespace NetLab.Protocols.Transport;

/// <summary>One SACK block: the left edge and the sequence number just past the right edge (RFC 2018 section 3).</summary>
public readonly record struct TcpSackBlock(uint LeftEdge, uint RightEdge);

/// <summary>The TCP Timestamps option values (RFC 7323 section 3).</summary>
public readonly record struct TcpTimestamp(uint Value, uint EchoReply);

/// <summary>Up to four SACK blocks held inline, the most 40 bytes of options can carry (RFC 2018 section 3).</summary>
public readonly struct TcpSackBlocks : IEquatable<TcpSackBlocks>
{
    public const int MaximumCount = 4;

    private readonly TcpSackBlock _block0;
    private readonly TcpSackBlock _block1;
    private readonly TcpSackBlock _block2;
    private readonly TcpSackBlock _block3;

    /// <summary>Copies up to four blocks; more is a caller bug.</summary>
    public TcpSackBlocks(ReadOnlySpan<TcpSackBlock> blocks)
    {
        if (blocks.Length > MaximumCount)
        {
            throw new ArgumentException($"A SACK option carries at most {MaximumCount} blocks.", nameof(blocks));
        }
        Count = blocks.Length;
        _block0 = Count > 0 ? blocks[0] : default;
        _block1 = Count > 1 ? blocks[1] : default;
        _block2 = Count > 2 ? blocks[2] : default;
        _block3 = Count > 3 ? blocks[3] : default;
    }

    public int Count { get; }

    public TcpSackBlock this[int index] => (uint)index < (uint)Count
        ? index switch { 0 => _block0, 1 => _block1, 2 => _block2, _ => _block3 }
        : throw new ArgumentOutOfRangeException(nameof(index));

    public bool Equals(TcpSackBlocks other) => Count == other.Count && _block0 == other._block0 && _block1 == other._block1
        && _block2 == other._block2 && _block3 == other._block3;

    public override bool Equals(object? obj) => obj is TcpSackBlocks other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Count, _block0, _block1, _block2, _block3);

    public static bool operator ==(TcpSackBlocks left, TcpSackBlocks right) => left.Equals(right);

    public static bool operator !=(TcpSackBlocks left, TcpSackBlocks right) => !left.Equals(right);
}
