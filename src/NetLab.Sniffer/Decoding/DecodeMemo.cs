namespace NetLab.Sniffer.Decoding;

/// <summary>What a byte string decoded to, remembered by its bytes. Lab traffic repeats itself (the same DNS question
/// and answer under a new ID, the same FTP command and reply in every session), so a repeat costs a hash and a compare
/// instead of a parse, and every frame that repeats it shares one set of strings, which the report's tables then keep
/// once instead of once per frame. Bounded: when full it starts over, as a fuzzed capture repeats nothing, and it keeps
/// no byte string longer than <see cref="MaxLength"/>, so that large messages cannot make it hold much memory.</summary>
internal sealed class DecodeMemo<T>(int capacity)
{
    /// <summary>The longest byte string remembered: a classic DNS message over UDP (RFC 1035 4.2.1), well over an FTP line.</summary>
    public const int MaxLength = 512;

    private readonly Dictionary<int, (byte[] Bytes, T Value)> _entries = [];

    public bool TryGet(ReadOnlySpan<byte> bytes, out T value)
    {
        if (bytes.Length <= MaxLength && _entries.TryGetValue(HashOf(bytes), out var entry) && bytes.SequenceEqual(entry.Bytes))
        {
            value = entry.Value;
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Remembers <paramref name="value"/> for <paramref name="bytes"/>, replacing an entry whose bytes share the hash.</summary>
    public void Add(ReadOnlySpan<byte> bytes, T value)
    {
        if (bytes.Length > MaxLength)
        {
            return;
        }
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }
        _entries[HashOf(bytes)] = (bytes.ToArray(), value);
    }

    private static int HashOf(ReadOnlySpan<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
